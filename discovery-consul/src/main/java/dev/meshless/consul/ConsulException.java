package dev.meshless.consul;

import dev.meshless.MeshlessException;
import java.util.Locale;

/**
 * A Consul request that failed or an answer that was rejected. The message names the request (method,
 * path and query, never the ACL token) and, for answers, the service and datacenter.
 *
 * <p>The registry never lets these reach routing: a failed or rejected read keeps the last good view
 * and is counted under {@link #reason()} in {@code meshless.consul.errors}.
 */
public final class ConsulException extends MeshlessException {

    private static final long serialVersionUID = 1L;

    /** Why a request failed; the lower-case {@link #tag()} is the {@code reason} metric tag. */
    public enum Reason {
        /** No connection, connection reset, TLS handshake failure. */
        UNREACHABLE,
        /** No answer within the request's timeout. */
        TIMEOUT,
        /** The agent answered with a status other than 200 (and other than 429). */
        HTTP_STATUS,
        /**
         * The agent answered 429: this host holds more connections than its
         * {@code limits.http_max_conns_per_client}, or a server's RPC rate limit was reached.
         */
        RATE_LIMITED,
        /**
         * An answer with no instances that says {@code X-Consul-Results-Filtered-By-ACLs: true}: the ACL
         * token lacks {@code service:read} on the service or {@code node:read} on its nodes.
         */
        ACL_FILTERED,
        /** The body is not the documented JSON: bad syntax, missing fields, values out of range. */
        MALFORMED,
        /** The body is larger than {@code maxResponseBytes}. */
        TOO_LARGE,
        /** The answer lists more instances than {@code maxEndpoints}. */
        TOO_MANY_ENDPOINTS;

        /** @return the metric tag, e.g. {@code http_status} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why the request failed. */
    private final Reason reason;
    /** The HTTP status for {@link Reason#HTTP_STATUS}, otherwise 0. */
    private final int status;
    /** The datacenter asked, or null for the agent's own. */
    private final String datacenter;
    /** What the agent answered (redacted, shortened), or null. */
    private final String answer;

    /**
     * @param service the service the request was about, or null (datacenter list, agent calls)
     * @param datacenter the datacenter asked, or null for the agent's own
     * @param reason why the request failed
     * @param status the HTTP status for {@link Reason#HTTP_STATUS}, otherwise 0
     * @param message what failed; must not contain secrets
     * @param cause the underlying failure, or null
     */
    public ConsulException(String service, String datacenter, Reason reason, int status, String message,
            Throwable cause) {
        this(service, datacenter, reason, status, message, null, cause);
    }

    /**
     * @param service the service the request was about, or null (datacenter list, agent calls)
     * @param datacenter the datacenter asked, or null for the agent's own
     * @param reason why the request failed
     * @param status the HTTP status for {@link Reason#HTTP_STATUS} and {@link Reason#RATE_LIMITED}, otherwise 0
     * @param message what failed; must not contain secrets
     * @param answer the body the agent answered with (without secrets), or null
     * @param cause the underlying failure, or null
     */
    public ConsulException(String service, String datacenter, Reason reason, int status, String message,
            String answer, Throwable cause) {
        super(service, message, cause);
        this.reason = reason;
        this.status = status;
        this.datacenter = datacenter;
        this.answer = answer;
    }

    /** @return the datacenter asked, or null when the request went to the agent's own */
    public String datacenter() {
        return datacenter;
    }

    /** @return why the request failed */
    public Reason reason() {
        return reason;
    }

    /** @return the HTTP status when {@link #reason()} is {@link Reason#HTTP_STATUS} or {@link Reason#RATE_LIMITED}, otherwise 0 */
    public int status() {
        return status;
    }

    /** @return the text the agent answered with (without secrets, shortened), or null */
    public String answer() {
        return answer;
    }

    /**
     * Whether asking again will not help until someone changes the configuration or the ACL policy: an
     * answer filtered by ACLs, 400 (a parameter the agent refuses), 401 or 403 (the token is unknown or
     * lacks a permission), 404 (a path this agent does not serve), 405, or 500 from a
     * {@code filter} that does not compile (Consul reports go-bexpr's errors as 500, agent/http.go). Other
     * failures — unreachable, timeouts, 429, 5xx such as "No path to datacenter" or "No cluster leader" —
     * are transient. The registry retries both, and reports permanent ones as such.
     *
     * @return whether the failure is permanent
     */
    public boolean permanent() {
        if (reason == Reason.ACL_FILTERED) {
            return true;
        }
        if (reason != Reason.HTTP_STATUS) {
            return false;
        }
        return status == 400 || status == 401 || status == 403 || status == 404 || status == 405
                || (status == 500 && answer != null && answer.contains("boolexpr"));
    }
}
