package dev.meshless.call;

/**
 * The caller's work for one attempt, synchronous: call the given endpoint and return its answer.
 *
 * @param <T> the answer's type
 */
@FunctionalInterface
public interface AttemptFunction<T> {

    /**
     * @param attempt where to send the call and how long it may take
     * @return the endpoint's answer
     * @throws Exception whatever the client throws; it is classified, not swallowed
     */
    T apply(Attempt attempt) throws Exception;
}
