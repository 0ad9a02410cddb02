package vista.models.app.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * The chunks that arrived at one worker and are not taken yet, by {@link Chunk.Key}; the workers lost so
 * far; and the first failure that concerns every worker (a chunk that fails authentication, a stranger
 * in the cluster). A wait for a chunk from a lost worker, or any wait after such a failure, throws.
 *
 * <p>Waits for a chunk of a worker that is still there go on: a worker that leaves after the last
 * barrier of its run (it has everything it needs) does not stop the others, which need nothing more
 * from it either.
 */
final class Mailbox {
    /** The key of the member's mailbox in its Hazelcast user context. */
    static final String USER_CONTEXT_KEY = "vista.mailbox";

    private final Map<Chunk.Key, Chunk> arrived = new HashMap<>();
    private final Map<Integer, String> lost = new HashMap<>();
    private String failure;

    synchronized void deliver(Chunk chunk) {
        arrived.put(chunk.key(), chunk);
        notifyAll();
    }

    /** Records the first failure that concerns every worker; every later or waiting {@link #take} throws it. */
    synchronized void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }

    /** Records that worker {@code rank} is gone, {@code why}; waits for its chunks throw. */
    synchronized void lose(int rank, String why) {
        lost.putIfAbsent(rank, why);
        notifyAll();
    }

    /** The failure that concerns every worker, or why worker {@code rank} is lost, or null. */
    synchronized String failure(int rank) {
        return failure != null ? failure : lost.get(rank);
    }

    /**
     * The chunk of {@code key}, waiting for it at most {@code patienceNanos}; a chunk that arrived is
     * returned even if its sender is lost since.
     *
     * @throws ClusterFailure if the sender is lost or the cluster failed, or naming the sender if nothing
     *     came in time
     */
    synchronized Chunk take(Chunk.Key key, long patienceNanos) {
        long deadline = System.nanoTime() + patienceNanos;
        while (true) {
            Chunk chunk = arrived.remove(key);
            if (chunk != null) {
                return chunk;
            }
            String why = failure(key.from());
            if (why != null) {
                throw new ClusterFailure(why);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("worker " + key.from() + " sent nothing for " + patienceNanos / 1_000_000_000L
                        + " s although it is still a member; it may be stuck");
                throw new ClusterFailure(failure);
            }
            try {
                wait(Math.max(1, Math.min(left / 1_000_000L, 1000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterFailure("interrupted while waiting for worker " + key.from(), e);
            }
        }
    }
}
