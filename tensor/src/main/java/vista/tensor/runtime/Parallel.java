package vista.tensor.runtime;

import java.util.function.Supplier;

/**
 * The threads every Vista kernel runs on: the thread that calls a kernel, plus a shared {@link Crew} of
 * {@code threads - 1} helpers.
 *
 * <p>The count is the user's choice ({@code --threads}, default: the available processors). Changing it
 * never changes results: kernels cut work into {@link Tiles} chosen from the problem's shape alone, so
 * the thread count decides only who computes a tile, never what a tile computes or in which order
 * partial results are combined.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Crew helpers = newCrew(threads - 1);

    private Parallel() {
    }

    /** The number of threads kernels use, the calling thread included. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels use (at least 1). Not to be called while kernels run. */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + count);
        }
        if (count != threads) {
            Crew old = helpers;
            helpers = newCrew(count - 1);
            threads = count;
            if (old != null) {
                old.close();
            }
        }
    }

    /** Runs {@code body} with {@code count} threads, then restores the previous count. */
    public static synchronized <T> T withThreads(int count, Supplier<T> body) {
        int before = threads();
        setThreads(count);
        try {
            return body.get();
        } finally {
            setThreads(before);
        }
    }

    /** The helpers, or null when kernels run on the calling thread alone. */
    static Crew helpers() {
        return helpers;
    }

    private static Crew newCrew(int size) {
        return size < 1 ? null : new Crew(size);
    }
}
