package vista.tensor.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The helper threads of {@link Parallel}, and how a {@link Tiles#forEach} call shares its tiles with them.
 *
 * <p>A call posts a <b>job</b> (its body and tile count) and works on it at once; helpers take tiles from
 * the newest open job through the job's shared counter, so a nested call (a GEMM inside a convolution's
 * tile) is served first. The caller returns when every tile has finished; a failure in any tile stops the
 * others from starting more, and the first one is rethrown to the caller.
 *
 * <p><b>Why not a {@code ForkJoinPool}.</b> A batch-1 inference of ResNet-26 makes about a hundred such
 * calls of 0.1-1 ms, a training step of {@code resnet26-mini} about 200 of about 1 ms. A pool's idle
 * workers park, and waking a parked thread costs tens of microseconds on a virtual machine, so the second
 * thread arrived when a short call was well under way. Here a helper that finds no work <b>spins for
 * {@value #SPIN_MICROS} microseconds</b> ({@link Thread#onSpinWait}) before it parks, so from one call to
 * the next it is awake; the caller waits for the last tiles the same way. The spin is bounded so that an
 * idle Vista costs nothing and a Vista sharing its cores with another process does not take their time
 * for long (OpenMP's default of spinning for 200 ms is what makes PyTorch collapse on a
 * busy machine).
 *
 * <p>A thread waiting for its job's last tiles never takes other work, so a tile's thread-local state
 * (GEMM's packing buffers) is never entered twice. Hence a tile must never wait for another tile to start:
 * if the helpers hold tiles that each wait for a second thread while the callers wait for their jobs, no
 * thread is left to come. Vista's tiles are independent pieces of work, which finish on their own. Scheduling decides only who runs a tile, never what it
 * computes ({@link Tiles}), so nothing here changes a bit.
 */
final class Crew {
    /** How long an idle helper, or a caller waiting for its last tiles, spins before it parks. */
    static final long SPIN_MICROS = 100;
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);
    /** How long a caller that stopped spinning sleeps between checks of its job. */
    private static final long WAIT_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Volatile access to the elements of {@link #parked}. */
    private static final VarHandle PARKED = MethodHandles.arrayElementVarHandle(boolean[].class);

    private final Thread[] helpers;
    private final boolean[] parked;
    private final ConcurrentLinkedDeque<Job> open = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** Starts {@code size} helper threads (daemons named {@code vista-1 ... vista-size}). */
    Crew(int size) {
        helpers = new Thread[size];
        parked = new boolean[size];
        for (int i = 0; i < size; i++) {
            int index = i;
            helpers[i] = Thread.ofPlatform().daemon().name("vista-" + (i + 1)).unstarted(() -> help(index));
        }
        for (Thread helper : helpers) {
            helper.start();
        }
    }

    /** Lets the helpers finish their current tiles and end. */
    void close() {
        closed = true;
        for (Thread helper : helpers) {
            LockSupport.unpark(helper);
        }
    }

    /** Runs {@code body} for tiles {@code 0 .. count-1} on the calling thread and the helpers. */
    void run(int count, IntConsumer body) {
        Job job = new Job(count, body);
        open.addFirst(job);
        wakeParkedHelpers();
        job.work();
        open.remove(job);
        job.awaitTiles();
        job.rethrowFailure();
    }

    private void wakeParkedHelpers() {
        for (int i = 0; i < helpers.length; i++) {
            if (readParked(i)) {
                LockSupport.unpark(helpers[i]);
            }
        }
    }

    private void help(int index) {
        long idleSince = System.nanoTime();
        while (!closed) {
            Job job = open.peekFirst();
            if (job != null) {
                if (!job.work()) {
                    open.remove(job); // no tiles left to take
                }
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // Announce the park, then look again: a caller posts its job before it reads the flags.
                writeParked(index, true);
                if (open.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                writeParked(index, false);
                idleSince = System.nanoTime();
            }
        }
    }

    private boolean readParked(int index) {
        return (boolean) PARKED.getVolatile(parked, index);
    }

    private void writeParked(int index, boolean value) {
        PARKED.setVolatile(parked, index, value);
    }

    /** One call's tiles: a counter to take them from, a count of finished ones, the first failure. */
    private static final class Job {
        private final int count;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(int count, IntConsumer body) {
            this.count = count;
            this.body = body;
        }

        /** Takes and runs tiles until none are left; false if there was none to take. */
        boolean work() {
            boolean took = false;
            for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
                took = true;
                try {
                    if (failure == null) {
                        body.accept(t);
                    }
                } catch (Throwable e) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = e;
                        } else if (failure != e) {
                            failure.addSuppressed(e);
                        }
                    }
                } finally {
                    finished.incrementAndGet();
                }
            }
            return took;
        }

        /** Returns once every tile has finished: spinning first, then sleeping between checks. */
        void awaitTiles() {
            long start = System.nanoTime();
            while (finished.get() < count) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, WAIT_POLL_NANOS);
                }
            }
        }

        void rethrowFailure() {
            Throwable f = failure;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException("a tile failed", f);
            }
        }
    }
}
