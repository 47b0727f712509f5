package dev.meshless.spring.boot.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A response whose body was read within its attempt, so that a body that breaks off (the endpoint
 * stops, the connection is reset, the read timeout fires while the body is still coming) fails the
 * attempt, which the call path retries elsewhere, rather than failing the caller after the attempt
 * was counted a success.
 *
 * <p>Only bodies up to a limit are read ahead; a larger one, a declared {@code Content-Length} above
 * the limit or a streaming media type ({@code text/event-stream}, NDJSON) are handed over as the
 * client read them, as without Meshless (a larger body's first bytes are kept and replayed).
 */
final class BufferedResponse implements ClientHttpResponse {

    private final ClientHttpResponse response;
    private final HttpStatusCode status;
    private final String statusText;
    private final HttpHeaders headers;
    private final InputStream body;

    private BufferedResponse(ClientHttpResponse response, InputStream body) throws IOException {
        this.response = response;
        this.status = response.getStatusCode();
        this.statusText = response.getStatusText();
        this.headers = response.getHeaders();
        this.body = body;
    }

    /**
     * Reads the response's body, up to {@code limit} bytes, within the attempt.
     *
     * @param response an attempt's response
     * @param limit the most bytes read ahead; 0 hands every response over as it is
     * @return a response whose body is read, or the response itself when it is not read ahead
     * @throws IOException when the body cannot be read: the attempt failed, and the response is closed
     */
    static ClientHttpResponse read(ClientHttpResponse response, int limit) throws IOException {
        if (limit <= 0 || streaming(response.getHeaders()) || response.getHeaders().getContentLength() > limit) {
            return response;
        }
        byte[] read;
        InputStream in;
        try {
            in = response.getBody();
            read = in.readNBytes(limit + 1);
        } catch (IOException | RuntimeException e) {
            closeQuietly(response);
            throw e;
        }
        if (read.length <= limit) {
            BufferedResponse complete = new BufferedResponse(response, new ByteArrayInputStream(read));
            response.close(); // all of the body is here: the connection can go back to its pool now
            return complete;
        }
        return new BufferedResponse(response, new SequenceInputStream(new ByteArrayInputStream(read), in));
    }

    private static boolean streaming(HttpHeaders headers) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (RuntimeException unreadable) {
            return false;
        }
        return type != null && (MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)
                || MediaType.APPLICATION_NDJSON.isCompatibleWith(type)
                || "application/stream+json".equals(type.getType() + "/" + type.getSubtype()));
    }

    private static void closeQuietly(ClientHttpResponse response) {
        try {
            response.close();
        } catch (RuntimeException ignored) {
            // the read's failure is what the attempt reports
        }
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return status;
    }

    @Override
    public String getStatusText() {
        return statusText;
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public InputStream getBody() {
        return body;
    }

    @Override
    public void close() {
        response.close();
    }
}
