package dev.meshless.spring.boot.zoneaware;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Looks for {@code @ZoneAware} HTTP service interfaces in more packages than the application's own
 * (its auto-configuration packages, searched anyway), or registers given interfaces: for example
 * interfaces shipped in a client library.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @EnableZoneAwareClients(basePackages = "com.acme.inventory.client", clients = BillingClient.class)
 * class CheckoutApplication { }
 * }</pre>
 *
 * With no attribute, the package of the annotated class is searched. May appear on several
 * configuration classes; their packages add up. An interface that already has a bean (declared by
 * the application or by {@code @ImportHttpServices}) gets none from Meshless.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ZoneAwareClientPackages.Registrar.class)
public @interface EnableZoneAwareClients {

    /** @return packages to search; alias of {@link #basePackages()} */
    @AliasFor("basePackages")
    String[] value() default {};

    /** @return packages to search, with their sub-packages */
    @AliasFor("value")
    String[] basePackages() default {};

    /** @return classes whose packages are searched (a type-safe {@link #basePackages()}) */
    Class<?>[] basePackageClasses() default {};

    /** @return {@code @ZoneAware} HTTP service interfaces to register, wherever they are */
    Class<?>[] clients() default {};
}
