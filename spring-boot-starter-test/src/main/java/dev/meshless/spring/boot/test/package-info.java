/**
 * Test support for applications using the Meshless starter: {@link AutoConfigureMeshlessTest} puts a
 * {@link dev.meshless.testing.FakeTime fake clock} and a {@link MeshlessTestRegistry mutable in-memory
 * registry} in place of the application's, and {@link ZoneFleet} starts real HTTP endpoints on loopback
 * in named zones and regions that a test can make refuse connections, answer slowly or fail.
 */
package dev.meshless.spring.boot.test;
