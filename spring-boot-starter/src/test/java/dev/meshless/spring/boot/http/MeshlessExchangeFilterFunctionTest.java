package dev.meshless.spring.boot.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Flux;

/** Which responses of one WebClient call are released, whatever the order of events. */
class MeshlessExchangeFilterFunctionTest {

    @Test
    void aNewAttemptReleasesTheResponsesOfEarlierOnes() {
        MeshlessExchangeFilterFunction.Responses responses = new MeshlessExchangeFilterFunction.Responses();
        Tracked first = new Tracked();
        responses.add(first.response);
        responses.releaseEarlier();
        assertThat(first.released).isTrue();
    }

    @Test
    void theAnswerIsKeptAndEveryOtherResponseReleasedEvenWhenItArrivesLate() {
        MeshlessExchangeFilterFunction.Responses responses = new MeshlessExchangeFilterFunction.Responses();
        Tracked timedOut = new Tracked();
        Tracked answer = new Tracked();
        Tracked late = new Tracked();
        responses.add(timedOut.response);
        assertThat(responses.finish(answer.response)).isTrue();
        responses.add(answer.response); // the answer's own callback may run after the call ended
        responses.add(late.response);
        assertThat(timedOut.released).isTrue();
        assertThat(late.released).isTrue();
        assertThat(answer.released).isFalse();
    }

    @Test
    void afterCancellationEveryResponseIsReleasedAndTheAnswerIsNotDelivered() {
        MeshlessExchangeFilterFunction.Responses responses = new MeshlessExchangeFilterFunction.Responses();
        Tracked answer = new Tracked();
        responses.add(answer.response);
        assertThat(responses.finish(null)).as("cancelled").isTrue();
        assertThat(responses.finish(answer.response)).as("too late to deliver").isFalse();
        assertThat(answer.released).isTrue();
    }

    /** A response whose body records that it was consumed. */
    private static final class Tracked {
        volatile boolean released;
        final ClientResponse response;

        Tracked() {
            DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap(new byte[] {1});
            Flux<DataBuffer> body = Flux.just(buffer).doOnSubscribe(s -> released = true);
            response = ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE).body(body).build();
        }
    }
}
