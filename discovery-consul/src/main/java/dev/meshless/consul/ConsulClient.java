package dev.meshless.consul;

import dev.meshless.config.InvalidConfigurationException;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.internal.CappedBody;
import dev.meshless.consul.internal.ConsulJson;
import dev.meshless.consul.internal.Futures;
import dev.meshless.consul.internal.GoDuration;
import dev.meshless.consul.internal.Redaction;
import dev.meshless.consul.internal.Tls;
import dev.meshless.consul.internal.TokenSource;
import dev.meshless.topology.HealthStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin client for the few Consul HTTP endpoints Meshless needs, on {@link HttpClient} and Jackson.
 * Answers are validated ({@code ConsulJson}) and bounded in size and instance count; they are asked for
 * gzipped ({@code Accept-Encoding: gzip}) and inflated within the same bound. Failures are
 * {@link ConsulException}s whose messages name the request but never the ACL token, which is sent
 * only in the {@code X-Consul-Token} header; a 429 (this host holds more connections than the agent's
 * {@code limits.http_max_conns_per_client}) is {@link ConsulException.Reason#RATE_LIMITED}.
 *
 * <p>Thread-safe; one instance per agent is meant to be shared.
 */
public final class ConsulClient {

    private static final Logger log = LoggerFactory.getLogger(ConsulClient.class);

    private final ConsulAgentConfig config;
    /** Replaced when the SSL bundle's context changes (a rotated certificate); read per request. */
    private volatile HttpClient http;
    /** The bundle's context {@link #http} was built with; written with {@link #http}, under this. */
    private SSLContext httpContext;
    private final TokenSource token;
    private final long maxResponseBytes;
    private final int maxEndpoints;
    private final ConsulMetrics metrics;
    /** The agent's own datacenter once {@code GET /v1/agent/self} answered; null before, or after a failure. */
    private volatile CompletableFuture<String> agentDatacenter;
    private volatile boolean agentDatacenterFailed;

    private ConsulClient(ConsulAgentConfig config, long maxResponseBytes, int maxEndpoints, ConsulMetrics metrics) {
        this.config = config;
        this.maxResponseBytes = maxResponseBytes;
        this.maxEndpoints = maxEndpoints;
        this.metrics = metrics;
        this.token = new TokenSource(config.token(), config.tokenFile());
        if (config.sslContext() != null) {
            this.httpContext = config.sslContext().get();
            this.http = http(httpContext);
        } else {
            this.http = http(config.address().getScheme().equals("https")
                    ? Tls.context(config.caCert(), config.clientCert(), config.clientKey()) : null);
        }
    }

    private HttpClient http(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout());
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /**
     * @return the HTTP client for the next request: rebuilt when the SSL bundle's context changed,
     *     so a rotated certificate applies from then on (requests under way finish on the old one)
     */
    private HttpClient http() {
        if (config.sslContext() != null) {
            SSLContext now = config.sslContext().get();
            if (now != httpContext) {
                synchronized (this) {
                    if (now != httpContext) {
                        http = http(now);
                        httpContext = now;
                        log.info("Consul agent {}: TLS material of SSL bundle '{}' changed; new connections use it",
                                config.address(), config.sslBundle());
                    }
                }
            }
        }
        return http;
    }

    /**
     * @param config the agent
     * @return a client with the default bounds ({@link ConsulConfig#DEFAULT_MAX_RESPONSE_BYTES},
     *     {@link ConsulConfig#DEFAULT_MAX_ENDPOINTS}) and no metrics
     * @throws InvalidConfigurationException at caCert, clientCert or clientKey when a TLS file cannot be used
     */
    public static ConsulClient create(ConsulAgentConfig config) {
        return create(config, ConsulConfig.DEFAULT_MAX_RESPONSE_BYTES, ConsulConfig.DEFAULT_MAX_ENDPOINTS,
                ConsulMetrics.NONE);
    }

    /**
     * @param config the agent
     * @param maxResponseBytes largest body accepted
     * @param maxEndpoints most instances accepted in a health answer
     * @param metrics receives every request's outcome
     * @return the client
     * @throws InvalidConfigurationException at caCert, clientCert or clientKey when a TLS file cannot be used
     */
    public static ConsulClient create(ConsulAgentConfig config, long maxResponseBytes, int maxEndpoints,
            ConsulMetrics metrics) {
        return new ConsulClient(config, maxResponseBytes, maxEndpoints, metrics);
    }

    /** @return the agent's address */
    public URI address() {
        return config.address();
    }

    /** @return the configuration this client was built from */
    public ConsulAgentConfig config() {
        return config;
    }

    /**
     * {@code GET /v1/catalog/datacenters}.
     *
     * @return the datacenters the agent knows (its own and WAN-federated ones)
     */
    public CompletableFuture<List<String>> datacentersAsync() {
        return send("catalog", "GET", "/v1/catalog/datacenters", "", null, config.requestTimeout(), null, null)
                .thenApply(r -> ConsulJson.datacenters(r.body()));
    }

    /**
     * {@code GET /v1/catalog/datacenters}, waiting for the answer.
     *
     * @return the datacenters the agent knows
     * @throws ConsulException when the request fails
     */
    public List<String> datacenters() {
        return await(datacentersAsync());
    }

    /**
     * {@code GET /v1/agent/self}'s {@code Config.Datacenter}: the agent's own datacenter (Consul's
     * translate_wan_addrs calls every other one remote). Read once and kept; a failure (a token without
     * {@code agent:read}) is not kept, so the next call asks again.
     *
     * @return the agent's datacenter
     */
    public CompletableFuture<String> agentDatacenter() {
        CompletableFuture<String> known = agentDatacenter;
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        CompletableFuture<String> asked = send("agent", "GET", "/v1/agent/self", "", null, config.requestTimeout(),
                null, null).thenApply(r -> ConsulJson.agentDatacenter(r.body()));
        agentDatacenter = asked;
        asked.whenComplete((dc, e) -> {
            if (e != null && !agentDatacenterFailed) {
                agentDatacenterFailed = true;
                log.warn("Cannot read the own datacenter of Consul agent {} ({}); every datacenter is taken as remote"
                        + " (WAN addresses) until it answers", config.address(), Futures.unwrap(e).getMessage());
            }
        });
        return asked;
    }

    /**
     * {@code GET /v1/catalog/services}.
     *
     * @param datacenter the datacenter, or null for the agent's
     * @return service name → tags
     * @throws ConsulException when the request fails
     */
    public Map<String, List<String>> services(String datacenter) {
        return await(send("catalog", "GET", "/v1/catalog/services", dc(datacenter), null, config.requestTimeout(),
                null, datacenter).thenApply(r -> ConsulJson.services(r.body(), datacenter)));
    }

    /**
     * {@code GET /v1/health/service/:service}, blocking when the query has an index. The HTTP timeout
     * of a blocking query is {@code wait × 17/16 + requestTimeout}: Consul may add up to
     * {@code wait / 16} of jitter. Entries that cannot be read are left out of the value and listed in
     * {@link QueryResult#skipped()}; only an answer that is not a JSON array of entries fails.
     *
     * @param query what to ask
     * @return the instances with the answer's index and headers; fails with {@link ConsulException}
     */
    public CompletableFuture<QueryResult<List<ServiceInstance>>> healthService(HealthQuery query) {
        StringBuilder q = new StringBuilder(dc(query.datacenter()));
        if (query.peer() != null) {
            param(q, "peer", query.peer());
        }
        if (query.namespace() != null) {
            param(q, "ns", query.namespace());
        }
        if (query.partition() != null) {
            param(q, "partition", query.partition());
        }
        if (query.passingOnly()) {
            param(q, "passing", null);
        }
        if (query.filter() != null) {
            param(q, "filter", query.filter());
        }
        if (query.stale()) {
            param(q, "stale", null);
            if (query.maxStale() != null && !query.maxStale().isZero()) {
                param(q, "max_stale", GoDuration.format(query.maxStale()));
            }
        }
        Duration timeout = config.requestTimeout();
        if (query.isBlocking()) {
            param(q, "index", Long.toString(query.index()));
            Duration wait = query.waitTime() != null ? query.waitTime() : ConsulConfig.DEFAULT_WAIT;
            param(q, "wait", GoDuration.format(wait));
            timeout = timeout.plus(wait).plus(wait.dividedBy(16));
        }
        String path = "/v1/health/service/" + segment(query.service());
        String where = query.peer() != null ? query.peer() : query.datacenter();
        return send("health", "GET", path, q.toString(), null, timeout, query.service(), where)
                .thenApply(r -> {
                    ConsulJson.HealthEntries entries = ConsulJson.healthService(r.body(), query.service(), where,
                            maxEndpoints);
                    return new QueryResult<>(entries.instances(), index(r), knownLeader(r), lastContact(r),
                            r.headers().firstValue("X-Consul-Query-Backend").map(String::strip).orElse(null),
                            flag(r, "X-Consul-Results-Filtered-By-ACLs"), flag(r, "X-Consul-Translate-Addresses"),
                            entries.skipped());
                });
    }

    /**
     * {@code PUT /v1/agent/service/register}.
     *
     * @param definition the service definition, serialised as the JSON body
     * @param replaceExistingChecks send {@code replace-existing-checks}, so that checks missing from
     *     the definition are removed and registering twice is idempotent
     * @throws ConsulException when the request fails
     */
    public void registerService(Map<String, ?> definition, boolean replaceExistingChecks) {
        await(registerServiceAsync(definition, replaceExistingChecks, config.requestTimeout()));
    }

    CompletableFuture<?> registerServiceAsync(Map<String, ?> definition, boolean replaceExistingChecks,
            Duration timeout) {
        byte[] body = ConsulJson.MAPPER.writeValueAsBytes(definition);
        Object id = definition.get("ID") != null ? definition.get("ID") : definition.get("Name");
        return send("agent", "PUT", "/v1/agent/service/register", replaceExistingChecks ? "?replace-existing-checks"
                : "", body, timeout, id == null ? null : id.toString(), null);
    }

    /**
     * {@code PUT /v1/agent/service/deregister/:service_id}.
     *
     * @param serviceId the instance id
     * @throws ConsulException when the request fails
     */
    public void deregisterService(String serviceId) {
        await(send("agent", "PUT", "/v1/agent/service/deregister/" + segment(serviceId), "", new byte[0],
                config.requestTimeout(), serviceId, null));
    }

    /**
     * {@code PUT /v1/agent/check/pass|warn|fail/:check_id}: a TTL heartbeat.
     *
     * @param checkId the TTL check's id
     * @param status passing, warning or critical (sent as pass, warn, fail)
     * @param note the check's output, or null
     * @throws ConsulException when the request fails (404 when the agent does not know the check)
     */
    public void updateTtlCheck(String checkId, HealthStatus status, String note) {
        await(updateTtlCheckAsync(checkId, status, note));
    }

    CompletableFuture<?> updateTtlCheckAsync(String checkId, HealthStatus status, String note) {
        String verb = status == HealthStatus.PASSING ? "pass" : status == HealthStatus.WARNING ? "warn" : "fail";
        StringBuilder q = new StringBuilder();
        if (note != null) {
            param(q, "note", note);
        }
        return send("agent", "PUT", "/v1/agent/check/" + verb + "/" + segment(checkId), q.toString(), new byte[0],
                config.requestTimeout(), checkId, null);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(String api, String method, String path, String query,
            byte[] body, Duration timeout, String service, String datacenter) {
        String target = method + " " + path + query;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.address() + path + query))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "meshless-consul");
        String secret = token.get();
        if (secret != null) {
            request.header("X-Consul-Token", secret);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        log.debug("Consul request {} to {}", target, config.address());
        String dcTag = datacenter == null ? "local" : datacenter;
        CompletableFuture<HttpResponse<byte[]>> sent = http().sendAsync(request.build(),
                CappedBody.handler(maxResponseBytes));
        CompletableFuture<HttpResponse<byte[]>> checked = sent.handle((response, failure) -> {
            if (failure != null) {
                throw failure(failure, target, service, datacenter, timeout, secret);
            }
            if (response.statusCode() != 200) {
                int status = response.statusCode();
                String answer = Redaction.redact(Redaction.excerpt(new String(response.body(), StandardCharsets.UTF_8),
                        300), secret);
                throw new ConsulException(service, datacenter, status == 429 ? Reason.RATE_LIMITED
                        : Reason.HTTP_STATUS, status, target + " answered " + status + ": " + answer
                        + (status == 429 ? " (this host may hold more connections than the agent's"
                        + " limits.http_max_conns_per_client)" : ""), answer, null);
            }
            return response;
        });
        // Bounds a body that trickles in after the headers (HttpRequest.timeout covers the headers only).
        CompletableFuture<HttpResponse<byte[]>> bounded = checked
                .orTimeout(timeout.toMillis() + config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    throw failure(e, target, service, datacenter, timeout, secret);
                });
        bounded.whenComplete((r, e) -> {
            if (e != null) {
                sent.cancel(true);
            }
            Throwable cause = e == null ? null : Futures.unwrap(e);
            metrics.requestCompleted(api, dcTag, cause == null ? "ok"
                    : cause instanceof ConsulException ? ((ConsulException) cause).reason().tag() : "cancelled");
        });
        return bounded;
    }

    private ConsulException failure(Throwable failure, String target, String service, String datacenter,
            Duration timeout, String secret) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof ConsulException) {
            return (ConsulException) cause;
        }
        Reason reason;
        String what;
        if (causedBy(cause, CappedBody.TooLarge.class)) {
            reason = Reason.TOO_LARGE;
            what = "the answer is larger than maxResponseBytes (" + maxResponseBytes + ")";
        } else if (causedBy(cause, CappedBody.BadEncoding.class)) {
            reason = Reason.MALFORMED;
            what = "the gzipped answer does not inflate";
        } else if (cause instanceof HttpConnectTimeoutException) {
            reason = Reason.TIMEOUT;
            what = "no connection within " + config.connectTimeout().toMillis() + "ms";
        } else if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            reason = Reason.TIMEOUT;
            what = "no answer within " + timeout.toMillis() + "ms";
        } else if (cause instanceof CancellationException) {
            reason = Reason.UNREACHABLE;
            what = "cancelled";
        } else {
            reason = Reason.UNREACHABLE;
            what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return new ConsulException(service, datacenter, reason, 0, Redaction.redact(target + " to "
                + config.address() + " failed: " + what, secret), reason == Reason.TOO_LARGE
                || reason == Reason.MALFORMED ? null : cause);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ConsulException(null, null, Reason.UNREACHABLE, 0, "interrupted while waiting for Consul", e);
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof ConsulException) {
                // Rethrown with this thread's stack so that the caller shows up in traces.
                ConsulException ce = (ConsulException) cause;
                throw new ConsulException(ce.service(), ce.datacenter(), ce.reason(), ce.status(), ce.getMessage(),
                        ce.answer(), ce);
            }
            throw new IllegalStateException(cause);
        }
    }

    private static long index(HttpResponse<?> r) {
        return header(r, "X-Consul-Index", s -> Long.parseLong(s), 0L);
    }

    private static boolean knownLeader(HttpResponse<?> r) {
        return header(r, "X-Consul-KnownLeader", Boolean::parseBoolean, true);
    }

    private static boolean flag(HttpResponse<?> r, String name) {
        return header(r, name, Boolean::parseBoolean, false);
    }

    private static long lastContact(HttpResponse<?> r) {
        return header(r, "X-Consul-LastContact", s -> Long.parseLong(s), 0L);
    }

    private static <T> T header(HttpResponse<?> r, String name, Function<String, T> parse, T otherwise) {
        try {
            return r.headers().firstValue(name).map(String::strip).map(parse).orElse(otherwise);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String dc(String datacenter) {
        return datacenter == null ? "" : "?dc=" + encode(datacenter);
    }

    private static void param(StringBuilder q, String name, String value) {
        q.append(q.length() == 0 ? '?' : '&').append(name);
        if (value != null) {
            q.append('=').append(encode(value));
        }
    }

    /** A path segment: like a query value, but ':' and '@' stay as they are (check ids are {@code service:<id>}). */
    private static String segment(String value) {
        return encode(value).replace("%3A", ":").replace("%40", "@");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
