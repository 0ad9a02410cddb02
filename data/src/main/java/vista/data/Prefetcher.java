package vista.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * One pass over an epoch's batches, prepared ahead on a daemon thread.
 *
 * <p>The thread calls {@code prepare(0)}, {@code prepare(1)}, ... in order and puts each batch into a
 * queue of capacity {@code depth}, blocking while it is full; so at most {@code depth} finished batches
 * wait, plus the one being prepared. If {@code prepare} throws, the thread puts the exception in the
 * queue in that batch's place and ends; {@link #next()} rethrows that same exception in the consumer's
 * thread. {@link #stop()} interrupts the thread and waits for it to end.
 */
final class Prefetcher implements Iterator<Batch> {
    /** What the thread hands over when preparing a batch failed. */
    private record Failure(Throwable cause) {
    }

    /** Put in the queue by {@link #stop()} to wake a consumer that waits. */
    private static final Object STOPPED = new Object();

    private final IntFunction<Batch> prepare;
    private final int batches;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean stopped;
    private int delivered;

    Prefetcher(IntFunction<Batch> prepare, int batches, int depth, String threadName) {
        this.prepare = prepare;
        this.batches = batches;
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(this::produce, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void produce() {
        for (int n = 0; n < batches && !stopped; n++) {
            Object item;
            try {
                item = prepare.apply(n);
            } catch (Throwable t) {
                item = new Failure(t);
            }
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                return;
            }
            if (item instanceof Failure) {
                return;
            }
        }
    }

    @Override
    public boolean hasNext() {
        return delivered < batches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: the epoch has only " + batches + " batches");
        }
        Object item = stopped ? STOPPED : take();
        if (item == STOPPED) {
            throw new IllegalStateException("DataLoader: this pass over the epoch was stopped after " + delivered
                    + " of " + batches + " batches, because the loader was closed or another pass started");
        }
        if (item instanceof Failure f) {
            int failed = delivered;
            delivered = batches;
            if (f.cause() instanceof RuntimeException e) {
                throw e;
            }
            if (f.cause() instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("DataLoader: preparing batch " + failed + " failed", f.cause());
        }
        delivered++;
        return (Batch) item;
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + delivered, e);
        }
    }

    /** Stops the thread, waits until it has ended, and wakes a consumer waiting for a batch. */
    void stop() {
        stopped = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        queue.clear();
        queue.offer(STOPPED);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
