package vista.tensor.runtime;

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
 * <p><b>Scheduling</b> ({@link Crew}): the calling thread works too; it and the helpers take tiles
 * from a shared counter until none are left, then the caller waits for the helpers to finish theirs. So
 * the caller never sits idle while a helper wakes up, and uneven tiles balance themselves.
 */
public final class Tiles {
    private Tiles() {
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, count)}; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        Crew crew = Parallel.helpers();
        if (crew == null || count <= 1) {
            for (int t = 0; t < count; t++) {
                body.accept(t);
            }
            return;
        }
        crew.run(count, body);
    }

    /** The number of tiles of at most {@code grain} units each that cover {@code units}. */
    public static int count(long units, long grain) {
        return (int) Math.max(1, (units + grain - 1) / grain);
    }
}
