package dev.meshless.consul.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.zip.GZIPInputStream;

/**
 * Collects a response body into memory up to a limit; beyond it the transfer is cancelled and the
 * body completes with {@link TooLarge}, so that an oversized answer never fills the heap. A body sent
 * with {@code Content-Encoding: gzip} (agents gzip every answer of 1400 bytes or more to clients that
 * accept it: the gziphandler wrapper in agent/http.go) is inflated, and the limit applies to both its
 * compressed and its inflated size, so that a small compressed answer cannot inflate past it.
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body exceeded the limit. */
    public static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the body is larger than " + limit + " bytes", null, false, false);
        }
    }

    /** The body says it is gzipped but does not inflate. */
    public static final class BadEncoding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadEncoding(IOException cause) {
            super("the gzipped body does not inflate: " + cause.getMessage(), cause, false, false);
        }
    }

    private final long limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private final boolean rejectAtOnce;
    private final boolean gzip;

    private CappedBody(long limit, boolean rejectAtOnce, boolean gzip) {
        this.limit = limit;
        this.rejectAtOnce = rejectAtOnce;
        this.gzip = gzip;
    }

    /**
     * @param limit the most bytes accepted
     * @return a body handler that rejects early when {@code Content-Length} is already too large
     */
    public static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean gzip = info.headers().firstValue("Content-Encoding").map(v -> v.strip().equalsIgnoreCase("gzip"))
                    .orElse(false);
            return new CappedBody(limit, declared > limit, gzip);
        };
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (rejectAtOnce) {
            s.cancel();
            result.completeExceptionally(new TooLarge(limit));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (buffer.size() + (long) b.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            buffer.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        if (!gzip) {
            result.complete(buffer.toByteArray());
            return;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
            ByteArrayOutputStream inflated = new ByteArrayOutputStream(Math.max(32, buffer.size() * 4));
            byte[] chunk = new byte[8192];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (inflated.size() + (long) n > limit) {
                    result.completeExceptionally(new TooLarge(limit));
                    return;
                }
                inflated.write(chunk, 0, n);
            }
            result.complete(inflated.toByteArray());
        } catch (IOException e) {
            result.completeExceptionally(new BadEncoding(e));
        }
    }
}
