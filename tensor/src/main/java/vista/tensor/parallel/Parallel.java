package vista.tensor.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * The one thread pool every Vista kernel runs on.
 *
 * <p>Its size is the user's choice ({@code --threads}, default: the available processors). Changing it
 * never changes results: kernels cut work into {@link Tiles} chosen from the problem's shape alone, so
 * the thread count decides only who computes a tile, never what a tile computes or in which order
 * partial results are combined.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {
    }

    /** The number of threads kernels use. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Sets the number of threads kernels use (at least 1). Not to be called while kernels run. */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = newPool(threads);
            old.shutdown();
        }
    }

    /** Runs {@code body} with {@code threads} threads, then restores the previous count. */
    public static synchronized <T> T withThreads(int threads, Supplier<T> body) {
        int before = threads();
        setThreads(threads);
        try {
            return body.get();
        } finally {
            setThreads(before);
        }
    }

    static ForkJoinPool pool() {
        return pool;
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("vista-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
