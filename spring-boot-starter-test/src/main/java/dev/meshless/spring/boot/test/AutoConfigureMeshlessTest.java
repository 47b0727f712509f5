package dev.meshless.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a Spring Boot test class ({@code @SpringBootTest} or a slice), gives the application under test
 * Meshless's test doubles, as {@code @AutoConfigureMockMvc} gives it MockMvc:
 * <ul>
 *   <li>a {@link MeshlessTestRegistry} in place of the application's registry (static endpoints,
 *       Consul, a {@code DiscoveryClient}): the endpoints Meshless routes to are the ones the test
 *       puts there, usually through a {@link ZoneFleet};</li>
 *   <li>a {@link dev.meshless.testing.FakeTime#running() running FakeTime} as the application's
 *       {@code TimeSource}: time passes as in production, and the test jumps ahead with
 *       {@code advance} to end an ejection or a breaker's wait at once, with no sleeping. An
 *       application or test that declares its own {@code TimeSource} bean keeps it.</li>
 * </ul>
 * Everything else — locality, policies, HTTP clients, {@code @ZoneAware} — stays as the application
 * configures it. With {@code meshless.enabled=false} nothing is added.
 *
 * @see MeshlessTestAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureMeshlessTest {
}
