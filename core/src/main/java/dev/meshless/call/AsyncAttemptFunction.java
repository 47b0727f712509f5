package dev.meshless.call;

import java.util.concurrent.CompletionStage;

/**
 * The caller's work for one attempt, asynchronous: start the call to the given endpoint and return
 * a stage that completes with its answer. Must not block.
 *
 * @param <T> the answer's type
 */
@FunctionalInterface
public interface AsyncAttemptFunction<T> {

    /**
     * @param attempt where to send the call and how long it may take
     * @return the answer to come
     */
    CompletionStage<T> apply(Attempt attempt);
}
