package vista.models.app.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code --cluster HOST:PORT,...}: where the worker of that rank listens.
 *
 * @param host a host name or IP address (IPv6 in brackets, {@code [::1]:5701})
 * @param port its TCP port, 1 to 65535
 */
public record MemberAddress(String host, int port) {

    /**
     * The addresses of {@code list}, in rank order.
     *
     * @throws IllegalArgumentException with a sentence naming the entry that is not HOST:PORT, or a
     *     repeated entry
     */
    public static List<MemberAddress> parseList(String list) {
        List<MemberAddress> addresses = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            MemberAddress address = parse(entry.trim());
            if (addresses.contains(address)) {
                throw new IllegalArgumentException("--cluster names " + address + " twice; each worker needs its own"
                        + " HOST:PORT");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    private static MemberAddress parse(String entry) {
        int colon = entry.lastIndexOf(':');
        String host = colon > 0 ? entry.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(entry.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--cluster entry '" + entry + "' is not HOST:PORT with a port from 1 to"
                    + " 65535; write e.g. --cluster 10.0.0.1:5701,10.0.0.2:5701");
        }
        return new MemberAddress(host, port);
    }

    /** The IP address of the host, as Hazelcast binds and lists it. */
    String ip() {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new ClusterFailure("the cluster member " + this + " names a host that cannot be resolved; use an IP"
                    + " address or a name this machine can resolve", e);
        }
    }

    /** True if the host is a loopback address (127.0.0.0/8, ::1, localhost): a cluster on one machine. */
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
