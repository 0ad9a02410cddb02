package vista.tensor.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
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
 */
public final class Tiles {
    private Tiles() {
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, count)}; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        ForkJoinPool pool = Parallel.pool();
        if (count <= 1 || pool.getParallelism() == 1) {
            for (int t = 0; t < count; t++) {
                body.accept(t);
            }
        } else if (ForkJoinTask.inForkJoinPool()) {
            new Range(body, 0, count).invoke();
        } else {
            pool.invoke(new Range(body, 0, count));
        }
    }

    /** The number of tiles of at most {@code grain} units each that cover {@code units}. */
    public static int count(long units, long grain) {
        return (int) Math.max(1, (units + grain - 1) / grain);
    }

    /** Splits a range of tiles in halves until single tiles remain, so idle threads can steal work. */
    private static final class Range extends RecursiveAction {
        private final IntConsumer body;
        private final int from;
        private final int to;

        Range(IntConsumer body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(body, from, mid), new Range(body, mid, to));
        }
    }
}
