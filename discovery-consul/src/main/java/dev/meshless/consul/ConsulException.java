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
        /** The agent answered with a status other than 200. */
        HTTP_STATUS,
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
        super(service, message, cause);
        this.reason = reason;
        this.status = status;
        this.datacenter = datacenter;
    }

    /** @return the datacenter asked, or null when the request went to the agent's own */
    public String datacenter() {
        return datacenter;
    }

    /** @return why the request failed */
    public Reason reason() {
        return reason;
    }

    /** @return the HTTP status when {@link #reason()} is {@link Reason#HTTP_STATUS}, otherwise 0 */
    public int status() {
        return status;
    }
}
