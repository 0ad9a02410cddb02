package vista.models.app.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * The chunks that arrived at one worker and are not taken yet, by {@link Chunk.Key}; and the first
 * failure of the cluster (a lost member), which wakes every waiting worker so that it stops.
 */
final class Mailbox {
    /** The key of the member's mailbox in its Hazelcast user context. */
    static final String USER_CONTEXT_KEY = "vista.mailbox";

    private final Map<Chunk.Key, Chunk> arrived = new HashMap<>();
    private String failure;

    synchronized void deliver(Chunk chunk) {
        arrived.put(chunk.key(), chunk);
        notifyAll();
    }

    /** Records the first failure, which every later or waiting {@link #take} throws. */
    synchronized void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }

    synchronized String failure() {
        return failure;
    }

    /**
     * The chunk of {@code key}, waiting for it at most {@code patienceNanos}.
     *
     * @throws ClusterFailure if the cluster failed, or naming the sender if nothing came in time
     */
    synchronized Chunk take(Chunk.Key key, long patienceNanos) {
        long deadline = System.nanoTime() + patienceNanos;
        while (true) {
            Chunk chunk = arrived.remove(key);
            if (chunk != null) {
                return chunk;
            }
            if (failure != null) {
                throw new ClusterFailure(failure);
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
