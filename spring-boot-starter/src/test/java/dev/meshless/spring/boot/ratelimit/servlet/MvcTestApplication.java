package dev.meshless.spring.boot.ratelimit.servlet;

import dev.meshless.spring.boot.ratelimit.RateLimited;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/** A Spring MVC application for the HTTP tests: a few endpoints, a principal from a test header, meters. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(MvcTestApplication.Endpoints.class)
public class MvcTestApplication {

    /** The header the test authentication takes the user name from. */
    static final String USER_HEADER = "X-Test-User";

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Stands in for Spring Security: authenticates the user named by a header, before the rate-limit filter. */
    @Bean
    TestAuthentication testAuthentication() {
        return new TestAuthentication();
    }

    static final class TestAuthentication extends OncePerRequestFilter implements Ordered {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String user = request.getHeader(USER_HEADER);
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            Principal principal = () -> user;
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }
            }, response);
        }

        @Override
        public int getOrder() {
            return -100;
        }
    }

    @RestController
    static class Endpoints {
        @GetMapping("/api/items")
        String items() {
            return "items";
        }

        @PostMapping("/api/items")
        String addItem() {
            return "added";
        }

        @GetMapping("/tenant/data")
        String tenantData() {
            return "data";
        }

        @GetMapping("/me")
        String me(Principal principal) {
            return principal == null ? "nobody" : principal.getName();
        }

        @GetMapping("/annotated/{userId}")
        @RateLimited(name = "per-user", key = "#userId")
        String annotated(@PathVariable String userId) {
            return "hello " + userId;
        }

        @GetMapping("/reports")
        @RateLimited(name = "reports")
        String reports() {
            return "report";
        }

        @GetMapping("/trial")
        String trial() {
            return "trial";
        }

        @GetMapping("/unlimited")
        String unlimited() {
            return "free";
        }
    }
}
