package vista.models.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vista.tensor.runtime.Vectors;
import vista.tensor.runtime.Parallel;

/**
 * Training is reproducible to the bit: the same seed and data give the same final weights, BatchNorm
 * statistics and SGD velocities ({@link TrainingProbe}'s SHA-256 of their raw float bits, per model)
 * whatever the thread count, from one run to the next in this JVM and in a fresh one, and whatever the
 * vector width. The fresh JVMs start before the tests and run side by side with them.
 *
 * <p>The scalar reference kernels ({@code -Dvista.kernels=reference}) are just as reproducible, but give
 * other bits than the fast kernels, by design: several of them accumulate in double precision, or in
 * plain index order where the fast kernels use 16 logical accumulators.
 */
class TrainingDeterminismTest {
    private static ProbeJvm fresh;
    private static final Map<Integer, ProbeJvm> NARROWER = new LinkedHashMap<>();
    private static ProbeJvm referenceOneThread;
    private static ProbeJvm referenceThreeThreads;

    @BeforeAll
    static void startFreshJvms() {
        fresh = ProbeJvm.start(List.of(), 0);
        for (int bits : new int[] {128, 256, 512}) {
            if (bits != Vectors.FLOAT.vectorBitSize() && bits <= FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
                NARROWER.put(bits, ProbeJvm.start(List.of("vista.vector.bits=" + bits), 0));
            }
        }
        referenceOneThread = ProbeJvm.start(List.of("vista.kernels=reference"), 1);
        referenceThreeThreads = ProbeJvm.start(List.of("vista.kernels=reference"), 3);
    }

    @AfterAll
    static void stopFreshJvms() {
        List<ProbeJvm> all = new ArrayList<>(NARROWER.values());
        all.addAll(List.of(fresh, referenceOneThread, referenceThreeThreads));
        all.forEach(ProbeJvm::stop);
    }

    @Test
    void sameBitsForOneToFourThreads() {
        List<String> one = Parallel.withThreads(1, TrainingProbe::digests);
        for (int threads = 2; threads <= 4; threads++) {
            assertEquals(one, Parallel.withThreads(threads, TrainingProbe::digests), threads + " threads against 1");
        }
    }

    /** The JIT compiles more of the kernels during the first run; the second must not notice. */
    @Test
    void sameBitsOnASecondRunInTheSameJvm() {
        assertEquals(TrainingProbe.digests(), TrainingProbe.digests());
    }

    @Test
    void sameBitsInAFreshJvm() throws IOException, InterruptedException {
        assertEquals(TrainingProbe.digests(), fresh.lines(), fresh.toString());
    }

    /** Every narrower width the CPU has, against this JVM's (the widest). */
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        Assumptions.assumeFalse(NARROWER.isEmpty(), "this CPU has no vector width below "
                + Vectors.FLOAT.vectorBitSize() + " bits to compare with");
        List<String> here = TrainingProbe.digests();
        for (ProbeJvm narrower : NARROWER.values()) {
            assertEquals(here, narrower.lines(), narrower + " against " + Vectors.FLOAT.vectorBitSize() + "-bit vectors");
        }
    }

    /**
     * The reference kernels give one result for 1 and 3 threads in two fresh JVMs; it differs from the
     * fast kernels' for every model (if it ever matched, the class comment and README would be wrong).
     */
    @Test
    void referenceKernelsAreReproducibleButNotBitIdenticalToFastOnes() throws IOException, InterruptedException {
        List<String> reference = referenceOneThread.lines();
        assertEquals(reference, referenceThreeThreads.lines(), "reference kernels, 3 threads against 1");
        List<String> fast = TrainingProbe.digests();
        assertEquals(fast.size(), reference.size(), "models");
        for (int i = 0; i < fast.size(); i++) {
            assertNotEquals(fast.get(i), reference.get(i), "reference and fast kernels gave the same bits");
        }
    }
}
