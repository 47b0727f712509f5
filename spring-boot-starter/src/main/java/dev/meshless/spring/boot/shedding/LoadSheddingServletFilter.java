package dev.meshless.spring.boot.shedding;

import dev.meshless.spring.boot.shedding.LoadShedder.Permit;
import dev.meshless.spring.boot.web.ProblemJson;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sheds requests of a servlet application beyond the adaptive concurrency limit, lowest priority
 * first, answering 503 with {@code Retry-After} and a problem+json body; actuator requests pass
 * untouched. An admitted request holds its place until it completes: when the filter chain returns,
 * or, for an asynchronous request ({@code DeferredResult}, {@code Callable}, {@code WebAsyncTask},
 * streaming), when the async context completes, times out or fails.
 *
 * <p>Runs once per request (not again on async or error dispatches). Thread-safe.
 */
public class LoadSheddingServletFilter extends OncePerRequestFilter implements Ordered {

    private final LoadShedder shedder;
    private final SheddingRoutes routes;
    private final SheddingResponses responses;
    private final int order;

    /**
     * @param shedder the limit
     * @param routes the priority of each request
     * @param responses what a shed request is answered
     * @param order the filter's order
     */
    public LoadSheddingServletFilter(LoadShedder shedder, SheddingRoutes routes, SheddingResponses responses,
                                     int order) {
        this.shedder = Objects.requireNonNull(shedder, "shedder");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.responses = Objects.requireNonNull(responses, "responses");
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
        Priority priority = routes.priorityOf(request.getMethod(), path);
        if (priority == null) {
            chain.doFilter(request, response);
            return;
        }
        int limit = shedder.limit();
        int inFlight = shedder.inFlight();
        Permit permit = shedder.acquire(priority);
        if (permit == null) {
            reject(request, response, responses.problem(priority, limit, inFlight, request.getRequestURI()));
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (Throwable t) {
            permit.ignore();
            throw t;
        }
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Release(permit));
        } else {
            permit.success();
        }
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        response.setStatus(SheddingResponses.STATUS);
        responses.forEachHeader(response::setHeader);
        response.setContentType(ProblemJson.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Releases an asynchronous request's permit when it ends, however it ends. */
    private static final class Release implements AsyncListener {
        private final Permit permit;

        Release(Permit permit) {
            this.permit = permit;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            permit.success();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            permit.dropped();
        }

        @Override
        public void onError(AsyncEvent event) {
            permit.ignore();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new async cycle of the same request: keep listening to it.
            event.getAsyncContext().addListener(this);
        }
    }
}
