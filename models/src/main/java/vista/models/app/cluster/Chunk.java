package vista.models.app.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One message between two workers, at most {@link HazelcastCollective#CHUNK_BYTES} of payload: sent with
 * Hazelcast's executor to the receiving member, where running it drops it into that member's
 * {@link Mailbox}.
 *
 * @param op      the collective operation's number (every worker numbers its operations alike)
 * @param phase   the phase within the operation (for an all-reduce: 0 contributions, 1 results)
 * @param piece   the chunk's index within its message
 * @param pieces  the message's number of chunks
 * @param from    the sender's rank
 * @param to      the receiver's rank
 * @param payload the bytes
 * @param tag     the HMAC-SHA256 of all of the above ({@link ChunkSeal})
 */
record Chunk(long op, int phase, int piece, int pieces, int from, int to, byte[] payload, byte[] tag)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Where a chunk is expected: the operation, phase, piece and sender. */
    record Key(long op, int phase, int piece, int from) {
    }

    Key key() {
        return new Key(op, phase, piece, from);
    }

    /**
     * The task that delivers a chunk on its receiving member: run, or called when the sender waits for the
     * delivery (then it returns true).
     */
    static final class Delivery implements Runnable, Callable<Boolean>, Serializable, HazelcastInstanceAware {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Chunk chunk;
        private transient HazelcastInstance member;

        Delivery(Chunk chunk) {
            this.chunk = chunk;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance member) {
            this.member = member;
        }

        @Override
        public void run() {
            Object mailbox = member.getUserContext().get(Mailbox.USER_CONTEXT_KEY);
            if (mailbox instanceof Mailbox box) {
                box.deliver(chunk);
            }
        }

        @Override
        public Boolean call() {
            run();
            return true;
        }
    }
}
