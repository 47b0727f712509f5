package dev.meshless.spring.boot.zoneaware.broken;

import dev.meshless.spring.boot.ZoneAware;

/** A mistake: {@code @ZoneAware} on an interface without HTTP exchange methods. */
@ZoneAware("inventory")
public interface NotAnHttpClient {

    /** @return anything */
    String anything();
}
