package dev.meshless.spring.boot.consul;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The address this instance registers when {@code meshless.consul.registration.address} is not set
 * and Spring Cloud Commons has not computed {@code spring.cloud.client.ip-address}: the first
 * site-local (else any non-loopback, non-link-local) IPv4 address of an interface that is up, in
 * interface index order; else the local host's address.
 */
final class LocalAddress {

    private LocalAddress() {
    }

    /** @return an IPv4 address in text form */
    static String find() {
        String any = null;
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
            for (NetworkInterface ni : interfaces) {
                if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                        continue;
                    }
                    if (a.isSiteLocalAddress()) {
                        return a.getHostAddress();
                    }
                    any = any != null ? any : a.getHostAddress();
                }
            }
        } catch (SocketException | RuntimeException e) {
            // fall through to the local host
        }
        if (any != null) {
            return any;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
