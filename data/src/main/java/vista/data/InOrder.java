package vista.data;

import vista.tensor.runtime.Tiles;

/**
 * Runs a task for every item {@code 0 .. count-1} on Vista's thread pool ({@link Tiles#forEach}) and
 * reports failures deterministically: each item's failure is caught in its own slot, and the caller gets
 * the failure of the lowest-numbered item, whichever thread saw a failure first.
 */
final class InOrder {
    private InOrder() {
    }

    /** A body that may throw. */
    @FunctionalInterface
    interface Task {
        void run(int item) throws Exception;
    }

    /** The first failing item and what it threw. */
    record Failure(int item, Throwable cause) {
    }

    /** Runs {@code task} for every item; returns the failure of the lowest failing item, or null. */
    static Failure forEach(int count, Task task) {
        Throwable[] failures = new Throwable[count];
        Tiles.forEach(count, i -> {
            try {
                task.run(i);
            } catch (Throwable t) {
                failures[i] = t;
            }
        });
        for (int i = 0; i < count; i++) {
            if (failures[i] != null) {
                return new Failure(i, failures[i]);
            }
        }
        return null;
    }
}
