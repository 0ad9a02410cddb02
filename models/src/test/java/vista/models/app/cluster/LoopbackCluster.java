package vista.models.app.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** W workers of a cluster on loopback in this JVM, each on its own thread, for tests. */
public final class LoopbackCluster {
    private LoopbackCluster() {
    }

    /** What one worker does with its collective. */
    public interface Work<T> {
        T run(Collective world) throws Exception;
    }

    /** {@code w} free loopback addresses. */
    public static List<MemberAddress> addresses(int w) throws IOException {
        List<MemberAddress> addresses = new ArrayList<>();
        for (int r = 0; r < w; r++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                addresses.add(new MemberAddress("127.0.0.1", socket.getLocalPort()));
            }
        }
        return addresses;
    }

    /**
     * Runs {@code work} on each of {@code keys.size()} workers (worker r with key {@code keys.get(r)}),
     * each leaving the cluster when its work ends, and returns each worker's result or exception, by rank.
     */
    public static List<Object> run(List<byte[]> keys, Work<?> work) throws IOException, InterruptedException {
        List<MemberAddress> addresses = addresses(keys.size());
        ExecutorService threads = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int r = 0; r < keys.size(); r++) {
                int rank = r;
                futures.add(threads.submit(() -> {
                    try (Collective world = HazelcastCollective.join(addresses, rank, keys.get(rank),
                            Duration.ofSeconds(60), Duration.ofSeconds(60))) {
                        return work.run(world);
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(120, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    results.add(e.getCause());
                } catch (TimeoutException e) {
                    results.add(e);
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
