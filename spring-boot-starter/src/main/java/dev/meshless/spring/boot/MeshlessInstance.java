package dev.meshless.spring.boot;

import dev.meshless.topology.Locality;

/**
 * Who and where this application instance is, as Meshless sees it.
 *
 * @param service this instance's own service name, or {@code null} when unknown
 * @param instanceId this instance's endpoint id in the registry, or {@code null}
 * @param locality where it runs, or {@code null} when unknown (locality routing is then off)
 */
public record MeshlessInstance(String service, String instanceId, Locality locality) {
}
