package dev.meshless.sample.plain;

import dev.meshless.balancer.LoadBalancingPolicy;
import dev.meshless.call.CallOptions;
import dev.meshless.call.CallPolicy;
import dev.meshless.call.ServiceCallException;
import dev.meshless.call.ServiceClient;
import dev.meshless.outcome.OutcomeClassifier;
import dev.meshless.registry.StaticRegistry;
import dev.meshless.topology.Locality;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meshless from plain Java, without Spring. This program runs in zone {@code eu-west-1a} and calls
 * the service {@code inventory}, which runs in two zones of region {@code eu-west-1} and in region
 * {@code eu-central-1}. Calls stay in the caller's zone; when that zone goes down they move to the
 * other zone of the region, and when the whole region goes down, to the next region. No call
 * fails on the way.
 *
 * <p>Run it with {@code java -jar samples/plain-java/target/meshless-sample-plain-java.jar}
 * (see the README next to this sample).
 */
public final class PlainJavaSample {

    /** Where this program runs: its region and zone. */
    static final Locality HERE = Locality.of("eu-west-1", "eu-west-1a");

    /** Calls made in each phase. */
    static final int CALLS_PER_PHASE = 20;

    /**
     * What happened in one phase.
     *
     * @param name what was going on
     * @param calls calls made
     * @param failed calls that failed (reached this program as an exception)
     * @param answeredBy successful calls per zone that answered
     * @param attempts attempts per zone, retries included
     */
    public record Phase(String name, int calls, int failed, Map<String, Integer> answeredBy,
                        Map<String, Integer> attempts) { }

    private PlainJavaSample() {
    }

    /**
     * Runs the sample and prints what happens; exits with 1 if any call failed.
     *
     * @param args none
     * @throws IOException when the stand-in servers cannot start
     */
    public static void main(String[] args) throws IOException {
        List<Phase> phases = run(System.out);
        System.exit(phases.stream().allMatch(p -> p.failed() == 0) ? 0 : 1);
    }

    /**
     * Starts the stand-in servers, calls them through Meshless, takes a zone and then a region
     * down, and reports each phase.
     *
     * @param out where to print the story
     * @return the phases, in order: all up, the caller's zone down, the caller's region down
     * @throws IOException when the stand-in servers cannot start
     */
    @SuppressWarnings("rawtypes") // HttpResponse.class, for the classifier
    public static List<Phase> run(PrintStream out) throws IOException {
        // 1. The called service: two instances in each of three zones, in two regions. Here they are
        //    HTTP servers inside this process; in real life, your service's instances.
        try (InventoryServers servers = InventoryServers.start(
                Locality.of("eu-west-1", "eu-west-1a"),
                Locality.of("eu-west-1", "eu-west-1b"),
                Locality.of("eu-central-1", "eu-central-1a"))) {

            // 2. A registry: which instances exist and where each one runs. StaticRegistry is the
            //    simplest; meshless-discovery-consul reads every datacenter of Consul instead.
            StaticRegistry registry = StaticRegistry.of(servers.endpoints());

            // 3. One ServiceClient per called service, built once and shared by every thread.
            ZoneCounter attempts = new ZoneCounter();
            ServiceClient inventory = ServiceClient.builder("inventory")
                    .registry(registry)
                    .caller(HERE)                                    // stay in this zone while it is healthy
                    .balancingPolicy(LoadBalancingPolicy.builder()
                            .regionOrder("eu-central-1")             // where to go when the whole region fails
                            .build())
                    .callPolicy(CallPolicy.builder()
                            .perTryTimeout(Duration.ofMillis(500))   // one attempt; a retry goes elsewhere
                            .deadline(Duration.ofSeconds(2))         // the whole call, retries included
                            .build())
                    .classifier(OutcomeClassifier.forHttpResponses(  // so that a 5xx answer counts as a failure
                            HttpResponse.class, HttpResponse::statusCode,
                            r -> r.headers().firstValue("Retry-After").orElse(null)))
                    .metrics(attempts)                               // only to print where attempts went
                    .build();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

            try (inventory) {
                out.println("inventory runs in eu-west-1a, eu-west-1b (region eu-west-1) and eu-central-1a;"
                        + " this program runs in " + HERE);
                List<Phase> phases = new ArrayList<>();
                phases.add(phase("all zones up", inventory, http, attempts, out));

                // 4. The caller's zone goes down: its servers stop accepting connections.
                out.println("--- stopping every instance in eu-west-1a");
                servers.stopZone("eu-west-1a");
                phases.add(phase("eu-west-1a down", inventory, http, attempts, out));

                // 5. The other zone goes down too: the caller's whole region is gone.
                out.println("--- stopping every instance in eu-west-1b: region eu-west-1 is down");
                servers.stopZone("eu-west-1b");
                phases.add(phase("eu-west-1 down", inventory, http, attempts, out));
                return phases;
            }
        }
    }

    /**
     * One call to {@code inventory}. Meshless chooses the endpoint of each attempt; the function
     * sends the request there, within the attempt's timeout. A failed attempt is retried on
     * another endpoint, in another zone when its zone looks broken.
     *
     * @param inventory the service's client
     * @param http any HTTP client
     * @param sku what to ask about
     * @return the answer
     * @throws ServiceCallException when no attempt succeeded
     */
    static HttpResponse<String> stock(ServiceClient inventory, HttpClient http, String sku) {
        return inventory.call(attempt -> http.send(
                        HttpRequest.newBuilder(URI.create("http://" + attempt.endpoint().address() + "/stock/" + sku))
                                .timeout(attempt.timeout())
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                CallOptions.method("GET"));                           // a GET is safe to retry
    }

    /** Makes {@link #CALLS_PER_PHASE} calls, prints one line about them and returns what happened. */
    private static Phase phase(String name, ServiceClient inventory, HttpClient http, ZoneCounter attempts,
                               PrintStream out) {
        Map<String, Integer> answeredBy = new TreeMap<>();
        int failed = 0;
        for (int i = 0; i < CALLS_PER_PHASE; i++) {
            try {
                HttpResponse<String> answer = stock(inventory, http, "sku-" + i);
                answeredBy.merge(zoneOf(answer.body()), 1, Integer::sum);
            } catch (ServiceCallException e) {
                failed++;
                out.println("  call failed: " + e.getMessage());
            }
        }
        Phase phase = new Phase(name, CALLS_PER_PHASE, failed, answeredBy, attempts.drain());
        out.printf("%-16s %d calls, %d failed; answered by %s; attempts %s%n",
                name + ":", phase.calls(), phase.failed(), phase.answeredBy(), phase.attempts());
        return phase;
    }

    private static final Pattern ZONE = Pattern.compile("\"zone\":\"([^\"]+)\"");

    /** @return the zone an answer names, e.g. {@code eu-west-1a} */
    private static String zoneOf(String body) {
        Matcher m = ZONE.matcher(body);
        return m.find() ? m.group(1) : "?";
    }
}
