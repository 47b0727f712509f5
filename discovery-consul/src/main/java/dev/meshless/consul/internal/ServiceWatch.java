package dev.meshless.consul.internal;

import dev.meshless.consul.ConsulConfig;
import dev.meshless.consul.ConsulConfig.AddressMode;
import dev.meshless.consul.ConsulException;
import dev.meshless.consul.ConsulException.Reason;
import dev.meshless.consul.HealthQuery;
import dev.meshless.consul.QueryResult;
import dev.meshless.consul.ServiceInstance;
import dev.meshless.consul.SkippedEntry;
import dev.meshless.consul.ViewStatus;
import dev.meshless.consul.ViewStatus.Origin;
import dev.meshless.config.Values;
import dev.meshless.concurrent.SerialExecutor;
import dev.meshless.registry.ServiceEndpoints;
import dev.meshless.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking-query loop of one service in one datacenter (or cluster peer), following Consul's
 * documented rules:
 * <ul>
 *   <li>block with {@code index} + {@code wait}; never block with an index below 1;</li>
 *   <li>reset the index to 0 (one non-blocking read) when an answer's index goes backwards;</li>
 *   <li>an answer is not proof of change: the view is only passed on when it differs;</li>
 *   <li>rate limit the loop with a token bucket (burst, then one request per interval);</li>
 *   <li>back off with jitter after errors, keeping the last good view; the read after a failure
 *       does not block, so that a recovery is noticed at once;</li>
 *   <li>an empty answer for a service that had endpoints is only passed on when a second,
 *       non-stale, non-blocking read confirms it; one that the token's ACLs emptied
 *       ({@code X-Consul-Results-Filtered-By-ACLs}) is never passed on.</li>
 * </ul>
 * Entries that cannot be endpoints are left out and reported once each ({@link SkipLog}); an answer
 * whose every entry is unusable is rejected instead, so that a Consul answering in a shape this client
 * cannot read never empties a datacenter.
 *
 * <p>All state is confined to the owning view's serial executor; status fields read from other
 * threads are volatile. Timers come from the {@link TimeSource}.
 */
public final class ServiceWatch {

    private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);
    /** After the first failure, one WARN line per this many consecutive failures. */
    private static final int WARN_EVERY = 10;

    /** What a watch needs from its registry. */
    public interface Context {
        /** @return the registry's configuration */
        ConsulConfig config();

        /** @return the time source */
        TimeSource time();

        /**
         * @param service the service
         * @param datacenter the datacenter
         * @param reason why a read failed
         */
        void failed(String service, String datacenter, Reason reason);

        /**
         * @param service the service
         * @param datacenter the datacenter
         * @param reason why an entry was left out ({@link SkippedEntry#reason()})
         */
        void skipped(String service, String datacenter, String reason);
    }

    private final String service;
    private final String datacenter;
    private final String region;
    private final Context context;
    private final SerialExecutor serial;
    private final Runnable onChange;
    private final Runnable onFirstFailure;
    private final TokenBucket bucket;
    private final Backoff backoff;
    private final SkipLog skipLog = new SkipLog();

    private Location location;
    private EndpointMapper.Target target;
    private long index;
    private boolean confirmingEmpty;
    private boolean started;
    private boolean closed;
    private boolean fallbackZoneLogged;
    /** For the WAN address mode: whether the agent's own datacenter was asked for, and what it said (null: unknown). */
    private boolean agentDatacenterAsked;
    private String agentDatacenter;
    private String permanentLogged;
    private TimeSource.Cancellable timer;
    private CompletableFuture<?> inFlight;

    /** Last good view; written on the serial executor, read by status and snapshot writers. */
    private volatile ServiceEndpoints lastGood;
    private volatile Instant lastGoodAt;
    private volatile Origin origin = Origin.NONE;
    private volatile int consecutiveErrors;
    private volatile String lastError;
    private volatile boolean permanent;
    private volatile boolean aclFiltered;
    private volatile int skipped;
    private volatile int maintenance;
    private volatile Duration lastContact;
    private volatile Boolean knownLeader;
    private volatile String backend;

    /**
     * @param service the service
     * @param datacenter the datacenter, or the cluster peer's name
     * @param context the registry
     * @param serial the owning view's executor; every method below must run on it
     * @param onChange called (on {@code serial}) after the last good view changed
     * @param onFirstFailure called (on {@code serial}) when a read fails before any view is known
     */
    public ServiceWatch(String service, String datacenter, Context context, SerialExecutor serial, Runnable onChange,
            Runnable onFirstFailure) {
        this.service = service;
        this.datacenter = datacenter;
        ConsulConfig c = context.config();
        this.region = c.regionOf(datacenter);
        this.context = context;
        this.serial = serial;
        this.onChange = onChange;
        this.onFirstFailure = onFirstFailure;
        this.bucket = new TokenBucket(c.rateLimitBurst(), c.rateLimitInterval());
        this.backoff = new Backoff(c.errorBackoffInitial(), c.errorBackoffMax());
    }

    /** @return the datacenter (or peer) */
    public String datacenter() {
        return datacenter;
    }

    /** @return the last good view, or null */
    public ServiceEndpoints lastGood() {
        return lastGood;
    }

    /** @return when the last good view was last confirmed, or null */
    public Instant lastGoodAt() {
        return lastGoodAt;
    }

    /** @return whether this watch has a view or has failed at least once (its first read is over) */
    public boolean settled() {
        return lastGood != null || consecutiveErrors > 0;
    }

    /** @return whether this watch has a client (its datacenter's agent is known) */
    public boolean attached() {
        return location != null;
    }

    /**
     * Starts the loop through the agent that serves the datacenter or peer; later calls do nothing.
     *
     * @param where the datacenter or peer, with its agent
     */
    public void attach(Location where) {
        if (closed || started) {
            return;
        }
        location = where;
        ConsulConfig c = context.config();
        target = new EndpointMapper.Target(service, datacenter, where.isPeer(), region, c.regionConfigured(datacenter),
                c.zoneMetadataKey());
        started = true;
        step();
    }

    /**
     * Takes a view loaded from the snapshot, unless a view is already known.
     *
     * @param endpoints the stored view
     * @param confirmedAt when Consul last confirmed it
     * @return whether it was taken
     */
    public boolean seed(ServiceEndpoints endpoints, Instant confirmedAt) {
        if (lastGood != null || closed) {
            return false;
        }
        lastGood = endpoints;
        lastGoodAt = confirmedAt;
        origin = Origin.SNAPSHOT;
        return true;
    }

    /** Stops the loop: cancels the pending timer and the request in flight. */
    public void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (inFlight != null) {
            inFlight.cancel(true);
        }
    }

    /** @return the status for metrics and the actuator; safe from any thread */
    public ViewStatus status() {
        ServiceEndpoints view = lastGood;
        Instant at = lastGoodAt;
        int errors = consecutiveErrors;
        Duration age = null;
        if (at != null) {
            age = origin == Origin.CONSUL && errors == 0 ? Duration.ZERO
                    : Duration.between(at, context.time().clock().instant());
            age = age.isNegative() ? Duration.ZERO : age;
        }
        return new ViewStatus(service, datacenter, region, view == null ? 0 : view.endpoints().size(), origin,
                at, age, errors, errors == 0 ? null : lastError, errors > 0 && permanent, aclFiltered, skipped,
                maintenance, lastContact, knownLeader, backend);
    }

    private void step() {
        if (closed) {
            return;
        }
        long delay = bucket.reserve(context.time().nanoTime());
        if (delay > 0) {
            schedule(Duration.ofNanos(delay), false);
        } else {
            send();
        }
    }

    private void schedule(Duration delay, boolean throughBucket) {
        timer = context.time().schedule(() -> serial.execute(throughBucket ? this::step : this::send), delay);
    }

    private void send() {
        if (closed) {
            return;
        }
        ConsulConfig c = context.config();
        if (c.addressMode() == AddressMode.WAN && !location.isPeer() && !agentDatacenterAsked) {
            // Which datacenter is remote depends on the agent's own: ask once, then read.
            agentDatacenterAsked = true;
            location.client().agentDatacenter().whenComplete((dc, e) -> serial.execute(() -> {
                agentDatacenter = dc;
                send();
            }));
            return;
        }
        // After a failure the read does not block: a recovered agent answers at once, which ends the
        // outage (and the growing age) without waiting for the next change.
        long blockOn = confirmingEmpty || consecutiveErrors > 0 ? 0 : index;
        HealthQuery query = new HealthQuery(service, location.datacenter(), c.passingOnly(), c.filter(),
                c.stale() && !confirmingEmpty, blockOn, c.waitTime(), c.maxStale(), location.peer(), c.namespace(),
                c.partition());
        CompletableFuture<QueryResult<List<ServiceInstance>>> request;
        try {
            request = location.client().healthService(query);
        } catch (RuntimeException e) { // e.g. a request the HTTP client refuses to build: retry later
            failed(e);
            return;
        }
        inFlight = request;
        request.whenComplete((result, failure) -> serial.execute(() -> {
            if (inFlight == request) {
                inFlight = null;
            }
            if (closed) {
                return;
            }
            if (failure != null) {
                failed(failure);
            } else {
                answered(result);
            }
        }));
    }

    /** Which addresses to map, from the configured mode, whether the datacenter is remote and what the agent did. */
    private EndpointMapper.Addresses addresses(QueryResult<?> result) {
        AddressMode mode = context.config().addressMode();
        boolean remote = !location.isPeer() && (agentDatacenter == null || !agentDatacenter.equals(datacenter));
        if (mode == AddressMode.LAN && result.addressesTranslated()) {
            return EndpointMapper.Addresses.LAN;
        }
        if (mode == AddressMode.WAN && remote && !result.addressesTranslated()) {
            return EndpointMapper.Addresses.WAN;
        }
        return EndpointMapper.Addresses.AS_GIVEN;
    }

    private void answered(QueryResult<List<ServiceInstance>> result) {
        long returned = result.index();
        if (returned < index) {
            log.info("Service '{}' in datacenter '{}': the index went backwards ({} after {}); starting the "
                    + "blocking loop again", service, datacenter, returned, index);
            index = 0;
        } else {
            index = Math.max(1, returned);
        }
        backend = result.backend();
        // The streaming backend always says KnownLeader false and LastContact 0: they mean nothing there.
        knownLeader = result.streaming() ? null : result.knownLeader();
        lastContact = result.streaming() ? null : Duration.ofMillis(result.lastContactMillis());
        EndpointMapper.Result mapped = EndpointMapper.map(target, addresses(result), result.value());
        List<SkippedEntry> left = new ArrayList<>(result.skipped());
        left.addAll(mapped.skipped());
        ServiceEndpoints next = mapped.endpoints();
        skipLog.report(service, datacenter, left, next.endpoints().size(), r -> context.skipped(service, datacenter, r));
        skipped = left.size();
        if (next.isEmpty() && !left.isEmpty()) {
            failed(new ConsulException(service, datacenter, Reason.MALFORMED, 0, "Consul answer for service '" + service
                    + "' in datacenter '" + datacenter + "': none of its " + left.size() + " instance(s) can be used ("
                    + left.get(0).entry() + ": " + left.get(0).problem() + ")", null));
            return;
        }
        if (result.filteredByAcls() && next.isEmpty()) {
            aclFiltered = true;
            failed(new ConsulException(service, datacenter, Reason.ACL_FILTERED, 0, "Consul hid every instance of"
                    + " service '" + service + "' in datacenter '" + datacenter + "' from this ACL token"
                    + " (X-Consul-Results-Filtered-By-ACLs): it needs service:read on '" + service + "' and node:read"
                    + " on its nodes", null));
            return;
        }
        if (result.filteredByAcls() != aclFiltered) {
            if (result.filteredByAcls()) {
                log.warn("Service '{}' in datacenter '{}': Consul hid some instances from this ACL token "
                        + "(X-Consul-Results-Filtered-By-ACLs); routing on the {} it can read; the token needs "
                        + "node:read on every node of the service", service, datacenter, next.endpoints().size());
            }
            aclFiltered = result.filteredByAcls();
        }
        if (mapped.withoutZone() > 0 && !fallbackZoneLogged) {
            fallbackZoneLogged = true;
            log.warn("Service '{}' in datacenter '{}': {} instance(s) carry no zone (Service.Meta.{}, "
                    + "Service.Locality.Zone, Node.Meta.{}, Node.Locality.Zone); they are placed in zone '{}{}'",
                    service, datacenter, mapped.withoutZone(), context.config().zoneMetadataKey(),
                    context.config().zoneMetadataKey(), region, EndpointMapper.FALLBACK_ZONE_SUFFIX);
        }
        ServiceEndpoints previous = lastGood;
        if (next.isEmpty() && previous != null && !previous.isEmpty()) {
            if (!confirmingEmpty) {
                confirmingEmpty = true;
                log.info("Service '{}' in datacenter '{}': Consul answered with no instances after {}; keeping "
                        + "them until a second read confirms", service, datacenter, previous.endpoints().size());
                recovered();
                schedule(context.config().emptyConfirmationDelay(), true);
                return;
            }
            log.warn("Service '{}' in datacenter '{}': a second read confirmed that it has no instances; "
                    + "dropping the {} it had", service, datacenter, previous.endpoints().size());
        }
        confirmingEmpty = false;
        recovered();
        maintenance = mapped.maintenance();
        lastGood = next;
        lastGoodAt = context.time().clock().instant();
        origin = Origin.CONSUL;
        if (!next.equals(previous)) {
            onChange.run();
        }
        step();
    }

    private void recovered() {
        if (consecutiveErrors > 0) {
            log.info("Service '{}' in datacenter '{}': Consul answers again after {} failed read(s)", service,
                    datacenter, consecutiveErrors);
        }
        consecutiveErrors = 0;
        permanent = false;
        permanentLogged = null;
        backoff.reset();
    }

    private void failed(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        ConsulException e = cause instanceof ConsulException ? (ConsulException) cause
                : new ConsulException(service, datacenter, Reason.UNREACHABLE, 0, String.valueOf(cause), cause);
        int errors = consecutiveErrors + 1;
        consecutiveErrors = errors;
        lastError = e.reason().tag() + ": " + e.getMessage();
        permanent = e.permanent();
        context.failed(service, datacenter, e.reason());
        if (lastGood == null) {
            onFirstFailure.run();
        }
        Duration delay = backoff.nextDelay();
        if (e.reason() == Reason.RATE_LIMITED && delay.compareTo(context.config().rateLimitInterval()) < 0) {
            delay = context.config().rateLimitInterval(); // the agent refuses connections: do not add to them
        }
        ServiceEndpoints kept = lastGood;
        String keeping = kept == null ? "no view to keep yet"
                : "keeping the last good view of " + kept.endpoints().size() + " endpoint(s)"
                + (origin == Origin.SNAPSHOT ? " from the snapshot" : "");
        String retry = Values.format(Duration.ofMillis(delay.toMillis()));
        if (e.permanent()) {
            // Asking again will not help: one line when it starts (or changes), not one per retry. The
            // request itself changes (index, wait), so what counts is what the agent answered.
            String what = e.reason() + " " + e.status() + " " + (e.answer() != null ? e.answer() : e.getMessage());
            if (!what.equals(permanentLogged)) {
                permanentLogged = what;
                log.error("Service '{}' in datacenter '{}': Consul refuses the read ({}, permanent: it will not "
                        + "recover until the configuration or the token's ACL policy changes): {}; {}; retrying every"
                        + " {} or so", service, datacenter, e.reason().tag(), e.getMessage(), keeping, retry);
            } else {
                log.debug("Service '{}' in datacenter '{}': Consul still refuses the read: {}", service, datacenter,
                        e.getMessage());
            }
        } else if (errors == 1 || errors % WARN_EVERY == 0) {
            log.warn("Service '{}' in datacenter '{}': Consul read failed ({} in a row, {}): {}; {}; retrying in {}",
                    service, datacenter, errors, e.reason().tag(), e.getMessage(), keeping, retry);
        } else {
            log.debug("Service '{}' in datacenter '{}': Consul read failed ({} in a row): {}", service, datacenter,
                    errors, e.getMessage());
        }
        schedule(delay, true);
    }
}
