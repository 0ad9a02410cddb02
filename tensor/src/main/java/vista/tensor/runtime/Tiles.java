package vista.tensor.runtime;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Deterministic data parallelism: run a body once for each tile {@code 0 .. count-1}.
 *
 * <p>The contract that makes results independent of the thread count:
 * <ul>
 *   <li>the caller chooses {@code count} and what each tile covers from the problem's shape only;</li>
 *   <li>each tile writes a disjoint part of the output, or its own slot of a partial-results array;</li>
 *   <li>partials are combined by the caller after {@code forEach} returns, in tile order.</li>
 * </ul>
 * Tiles may run in any order and on any thread; nothing observable depends on it.
 *
 * <p><b>Scheduling.</b> The calling thread works too: it and up to {@code threads - 1} helpers from
 * the pool take tiles from a shared counter until none are left, then the caller waits for the helpers
 * to finish theirs. So the caller never sits idle while parked helpers wake up (which costs tens of
 * microseconds on a virtual machine), and uneven tiles balance themselves.
 */
public final class Tiles {
    private Tiles() {
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, count)}; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        ForkJoinPool pool = Parallel.helpers();
        int helperCount = pool == null ? 0 : Math.min(pool.getParallelism(), count - 1);
        if (helperCount <= 0) {
            for (int t = 0; t < count; t++) {
                body.accept(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            try {
                for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
                    body.accept(t);
                }
            } catch (RuntimeException | Error e) {
                next.set(count); // a failed tile stops everyone from taking more
                throw e;
            }
        };
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[helperCount];
        for (int i = 0; i < helperCount; i++) {
            helpers[i] = pool.submit(work);
        }
        Throwable failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (ForkJoinTask<?> helper : helpers) {
            try {
                helper.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The number of tiles of at most {@code grain} units each that cover {@code units}. */
    public static int count(long units, long grain) {
        return (int) Math.max(1, (units + grain - 1) / grain);
    }
}
