package dev.meshless.consul.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed future really failed with. */
public final class Futures {

    private Futures() {
    }

    /**
     * @param failure what a future or {@code join()} reported
     * @return the first cause that is not a {@link CompletionException} or {@link ExecutionException}
     *     wrapper; the failure itself when it is not wrapped
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable c = failure;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
