package vista.models.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import vista.tensor.BufferPool;
import vista.tensor.runtime.Parallel;

/**
 * Training inside a {@link vista.tensor.BufferPool} (activations, gradients and kernel workspaces reused
 * from step to step) gives the same bits as training on fresh arrays, for the four tiny models of
 * {@link TrainingProbe}, alone and with two trainers running at once in one JVM.
 */
class BufferPoolTrainingTest {

    @Test
    void sameBitsWithBufferPool() {
        Parallel.setThreads(2);
        assertEquals(TrainingProbe.digests(), TrainingProbe.digests(BufferPool::new));
    }

    /**
     * Kernels that take their result's storage unfilled ({@link vista.tensor.Tensor#unfilled}) write every
     * element of it: with every such array filled with NaN when lent, the bits are still those of fresh
     * zeroed arrays.
     */
    @Test
    void kernelsWriteEveryElementOfAnUnfilledResult() {
        Parallel.setThreads(2);
        assertEquals(TrainingProbe.digests(), TrainingProbe.digests(BufferPool::poisoning));
    }

    @Test
    void sameBitsWithTwoPooledTrainersAtOnce() throws Exception {
        Parallel.setThreads(2);
        List<String> expected = TrainingProbe.digests();
        ExecutorService trainers = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> first = trainers.submit(() -> TrainingProbe.digests(BufferPool::new));
            Future<List<String>> second = trainers.submit(() -> TrainingProbe.digests(BufferPool::new));
            assertEquals(expected, first.get());
            assertEquals(expected, second.get());
        } finally {
            trainers.shutdownNow();
        }
    }
}
