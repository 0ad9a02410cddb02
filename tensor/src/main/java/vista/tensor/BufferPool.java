package vista.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Float arrays that a training step gives back so that the next one reuses them instead of allocating
 * fresh zeroed arrays: the size-keyed free lists of one owner (a trainer, a benchmark).
 *
 * <p><b>Lending.</b> While a pool is {@linkplain #use() in use} on a thread, every new float32
 * {@link Storage} made on that thread ({@link Storage#allocate}, hence {@link Tensor#zeros} and every
 * kernel's result) takes an array of exactly its length from the pool, zero-filled, or a new one when
 * none is free; the pool remembers that it lent the array. Other threads (the kernels' helpers, a second
 * trainer with its own pool) are not affected.
 *
 * <p><b>Ownership rule.</b> An array comes back only through {@link #giveBack}, and only if this pool
 * lent it and it has not come back since; anything else is ignored, so a user's array is never taken
 * and a lent array never sits twice in the free lists. The caller of {@code giveBack} promises that no
 * tensor that will still be read holds the array: in Vista the only caller is the backward pass, which
 * gives back the tensors of the intermediate results and of the gradients it passed between nodes once
 * no node of the graph needs them (see {@code vista.autograd.Variable#backward}). That is why a pool is
 * opt-in: code that runs a backward pass inside {@link #use()} must not keep intermediate results of
 * the graph past that backward pass (take a copy first, for example of the logits), while the loss, the
 * leaves (parameters, inputs) and their gradients stay untouched.
 *
 * <p><b>Zeros or not.</b> Storage asked for zero-filled ({@link Tensor#zeros}) gets a lent array
 * zero-filled exactly like a new one. Storage for a kernel's result that the kernel writes in full
 * ({@link Tensor#unfilled}) gets a reused array as it came back, since zero-filling it would be a whole
 * pass over memory only to be overwritten (most of what a training step lends). Results therefore do not
 * depend on the pool as long as such kernels keep their promise; a {@linkplain #poisoning() poisoning}
 * pool fills every array it lends for {@code unfilled} with NaN instead, so that a test sees any element
 * such a kernel leaves unwritten. A pool is thread-safe; lent arrays that are never given back are
 * forgotten when they become garbage.
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> ACTIVE = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final boolean poisoning;
    private final Set<float[]> lent = Collections.newSetFromMap(new WeakHashMap<>());
    private long reusedBytes;
    private long allocatedBytes;

    /** A pool. */
    public BufferPool() {
        this(false);
    }

    private BufferPool(boolean poisoning) {
        this.poisoning = poisoning;
    }

    /**
     * A pool that fills every array it lends for {@link Tensor#unfilled} storage, new or reused, with NaN:
     * for tests, where an element a kernel forgot to write then turns the results into NaN instead of
     * silently reading an earlier step's value.
     */
    public static BufferPool poisoning() {
        return new BufferPool(true);
    }

    /**
     * Makes this pool the source of new float32 storage on the calling thread until the returned scope
     * is closed; closing restores the pool (or none) that was in use before, so scopes nest.
     */
    public Scope use() {
        Scope scope = new Scope(ACTIVE.get());
        ACTIVE.set(this);
        return scope;
    }

    /** The pool in use on the calling thread, or null. */
    public static BufferPool current() {
        return ACTIVE.get();
    }

    /** A zero-filled array of {@code length} floats: lent by the thread's pool if one is in use, else new. */
    static float[] newFloats(int length) {
        BufferPool pool = ACTIVE.get();
        return pool == null ? new float[length] : pool.lend(length, true);
    }

    /**
     * An array of {@code length} floats whose values are unspecified (zeros, earlier values of a reused
     * array, or NaN from a poisoning pool): lent by the thread's pool if one is in use, else new.
     */
    static float[] newUnfilledFloats(int length) {
        BufferPool pool = ACTIVE.get();
        return pool == null ? new float[length] : pool.lend(length, false);
    }

    private synchronized float[] lend(int length, boolean zeroed) {
        ArrayDeque<float[]> sameSize = free.get(length);
        float[] array = sameSize == null ? null : sameSize.poll();
        if (array == null) {
            array = new float[length];
            allocatedBytes += 4L * length;
        } else {
            if (zeroed) {
                Arrays.fill(array, 0f);
            }
            reusedBytes += 4L * length;
        }
        if (poisoning && !zeroed) {
            Arrays.fill(array, Float.NaN);
        }
        lent.add(array);
        return array;
    }

    /**
     * Takes back the array behind {@code storage} if this pool lent it and it is still out; returns
     * whether it did. The caller guarantees that nothing will read the storage again.
     */
    public synchronized boolean giveBack(Storage storage) {
        if (!(storage instanceof Storage.Floats floats) || !lent.remove(floats.array())) {
            return false;
        }
        free.computeIfAbsent(floats.array().length, n -> new ArrayDeque<>()).push(floats.array());
        return true;
    }

    /**
     * Gives {@code scratch} back to the thread's pool, if one is in use: for a tensor its caller made for
     * itself and let no one else see (a kernel's copy of an operand, a backward pass's mask), once it is
     * done with it.
     */
    public static void discard(Tensor scratch) {
        BufferPool pool = ACTIVE.get();
        if (pool != null) {
            pool.giveBack(scratch.storage());
        }
    }

    /**
     * {@link #discard}s {@code copy} if it has storage of its own, that is if it is a copy of
     * {@code source} rather than {@code source} or a view of it ({@code x.contiguous()} is either).
     */
    public static void discardCopy(Tensor copy, Tensor source) {
        if (copy.storage() != source.storage()) {
            discard(copy);
        }
    }

    /** Whether this pool lent the array behind {@code storage} and has not had it back. */
    public synchronized boolean isLent(Storage storage) {
        return storage instanceof Storage.Floats floats && lent.contains(floats.array());
    }

    /** Bytes handed out as new arrays so far. */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes handed out again after they were given back. */
    public synchronized long reusedBytes() {
        return reusedBytes;
    }

    /** Bytes waiting in the free lists. */
    public synchronized long freeBytes() {
        long bytes = 0;
        for (ArrayDeque<float[]> arrays : free.values()) {
            for (float[] array : arrays) {
                bytes += 4L * array.length;
            }
        }
        return bytes;
    }

    /** The period during which a pool is in use on one thread; {@link #close()} ends it. */
    public static final class Scope implements AutoCloseable {
        private final BufferPool previous;

        private Scope(BufferPool previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            ACTIVE.set(previous);
        }
    }
}
