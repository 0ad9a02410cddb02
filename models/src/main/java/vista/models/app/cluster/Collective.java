package vista.models.app.cluster;

import java.util.List;

/**
 * The collective operations data-parallel training needs, among the W workers of one run (ranks 0 to
 * W - 1), each called by every worker in the same order. Implementations: {@link LocalCollective} (one
 * process, W = 1) and {@link HazelcastCollective} (one embedded Hazelcast member per process); another
 * engine would implement the same four operations.
 *
 * <p>Every operation returns the same bits on every worker, or throws {@link ClusterFailure} on every
 * worker that is still running (a lost member, a chunk that fails authentication, a timeout).
 */
public interface Collective extends AutoCloseable {

    /** This worker's rank, from 0. */
    int rank();

    /** The number of workers W. */
    int worldSize();

    /**
     * The element-wise sum over workers of {@code blockSum}, in the fixed tree of {@link TreeSum} over the
     * ranks (W a power of two): every worker passes arrays of the same lengths, and gets new arrays of the
     * totals, the same bits on every worker. With W workers each holding the tree sum of its contiguous
     * block of shards, the total equals the tree sum over all shards in one process.
     */
    float[][] allReduce(float[][] blockSum);

    /** Every worker's {@code mine}, by rank (this worker's own included). */
    List<byte[]> allGather(byte[] mine);

    /** Rank 0's {@code value} on every worker ({@code value} is ignored on the other ranks). */
    byte[] broadcast(byte[] value);

    /** Returns when every worker has called it. */
    void barrier();

    /**
     * Nanoseconds spent in this object's operations so far (sending, waiting and receiving), for the share
     * of step time spent in communication.
     */
    long communicationNanos();

    /** Leaves the group; never throws. */
    @Override
    void close();
}
