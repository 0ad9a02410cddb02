package vista.tensor.runtime;

import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scratch arrays of the kernels (im2col columns, per-tile partial sums, transposed copies), shared by all
 * threads and kept between calls so that a training step does not allocate them afresh.
 *
 * <p><b>Ownership rule.</b> {@link #take} hands out a zero-filled array that belongs to the caller alone
 * until the caller passes it to {@link #giveBack}; after that the caller must not touch it (nor let
 * any reference to it escape, for example into a result tensor). Only kernels use this class, for
 * arrays that never leave the kernel. Since every array is zero-filled when taken, results are the same
 * bits as with fresh arrays.
 *
 * <p>The free lists are keyed by exact length and hold at most {@value #RETAINED_BYTES} bytes in all;
 * arrays beyond that are left to the garbage collector. Thread-safe.
 */
public final class Workspaces {
    /** Most bytes the free lists keep. */
    static final long RETAINED_BYTES = 64L << 20;

    private static final Map<Integer, Deque<float[]>> FREE = new ConcurrentHashMap<>();
    private static final AtomicLong RETAINED = new AtomicLong();

    private Workspaces() {
    }

    /** A zero-filled array of {@code length} floats, the caller's until {@link #giveBack}. */
    public static float[] take(int length) {
        Deque<float[]> sameSize = FREE.get(length);
        float[] array = sameSize == null ? null : sameSize.poll();
        if (array == null) {
            return new float[length];
        }
        RETAINED.addAndGet(-4L * length);
        Arrays.fill(array, 0f);
        return array;
    }

    /** Returns an array obtained from {@link #take}; the caller must not use it afterwards. */
    public static void giveBack(float[] array) {
        long bytes = 4L * array.length;
        if (RETAINED.addAndGet(bytes) > RETAINED_BYTES) {
            RETAINED.addAndGet(-bytes);
            return;
        }
        FREE.computeIfAbsent(array.length, n -> new ConcurrentLinkedDeque<>()).push(array);
    }
}
