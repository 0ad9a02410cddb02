package vista.autograd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time of a forward and backward pass goes, per kind of operation: {@link #run} executes a
 * body with profiling on for the calling thread, and every {@link Function} applied or differentiated
 * on that thread adds its wall time to its kind ({@link Function#profileName()}, e.g. {@code Conv2d 1x1}),
 * with its multiply-adds where it knows them ({@link Function#multiplyAdds()}), so that a kind's rate
 * can be set beside the GEMM figure.
 *
 * <pre>{@code
 * OpProfile profile = OpProfile.run(() -> { loss = criterion.forward(model.forward(x), y); loss.backward(); });
 * for (OpProfile.Entry e : profile.entries()) { ... e.op(), e.nanos(), e.share(profile) ... }
 * }</pre>
 *
 * <p>Outside {@link #run} the cost is one thread-local read per operation. The times are wall time on
 * the calling thread, so a kernel that runs on several threads counts once, for as long as it takes;
 * work done outside Functions (parameter updates, data loading) is not seen.
 */
public final class OpProfile {
    private static final ThreadLocal<OpProfile> ACTIVE = new ThreadLocal<>();

    /**
     * One kind of operation.
     *
     * @param op             the kind, {@link Function#profileName()}
     * @param forwardCalls   forward passes
     * @param forwardNanos   their wall time
     * @param backwardCalls  backward passes
     * @param backwardNanos  their wall time
     * @param forwardMacs    multiply-adds of the forward passes (0 if the operation does not say)
     */
    public record Entry(String op, long forwardCalls, long forwardNanos, long backwardCalls, long backwardNanos,
                        long forwardMacs) {
        /** Forward and backward time. */
        public long nanos() {
            return forwardNanos + backwardNanos;
        }
    }

    private final Map<String, long[]> totals = new LinkedHashMap<>();

    private OpProfile() {
    }

    /** Runs {@code body} with profiling on for this thread; returns what it measured. */
    public static OpProfile run(Runnable body) {
        if (ACTIVE.get() != null) {
            throw new IllegalStateException("OpProfile.run: a profile is already running on this thread");
        }
        OpProfile profile = new OpProfile();
        ACTIVE.set(profile);
        try {
            body.run();
        } finally {
            ACTIVE.remove();
        }
        return profile;
    }

    static OpProfile active() {
        return ACTIVE.get();
    }

    void addForward(Function f, long nanos) {
        long[] t = totals.computeIfAbsent(f.profileName(), k -> new long[5]);
        t[0]++;
        t[1] += nanos;
        t[4] += f.multiplyAdds();
    }

    void addBackward(Function f, long nanos) {
        long[] t = totals.computeIfAbsent(f.profileName(), k -> new long[5]);
        t[2]++;
        t[3] += nanos;
    }

    /** Every kind seen, the most time first. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        totals.forEach((op, t) -> entries.add(new Entry(op, t[0], t[1], t[2], t[3], t[4])));
        entries.sort(Comparator.comparingLong(Entry::nanos).reversed().thenComparing(Entry::op));
        return entries;
    }

    /** The time of all operations, forward and backward. */
    public long totalNanos() {
        return entries().stream().mapToLong(Entry::nanos).sum();
    }
}
