package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Vectors;

/**
 * The width checks of the fast kernels. A width probe is a class whose {@code main} prints one line per
 * fast-kernel result, a hash of its float bits ({@link #hash}), after computing them {@value #ROUNDS}
 * times ({@link #stableResults}); {@link #assertSameLinesForEveryVectorWidth} runs it in fresh JVMs with
 * every narrower vector width the CPU has ({@code -Dvista.vector.bits}, side by side) and checks that
 * each prints the lines computed in this JVM, with the widest.
 */
final class WidthProbes {
    /** Rounds a width probe computes, so that the JIT compiles the kernels meanwhile. */
    static final int ROUNDS = 30;

    private WidthProbes() {
    }

    /** A hash of the float bits of {@code t}, in hexadecimal. */
    static String hash(Tensor t) {
        long hash = 17;
        for (int bits : KernelTesting.bits(t)) {
            hash = Rng.mix64(hash ^ bits);
        }
        return Long.toHexString(hash);
    }

    /**
     * A width probe's output: the lines {@code results} computes, after checking that {@value #ROUNDS}
     * rounds all give the lines of the first; otherwise a line saying which round differed, so that the
     * comparison fails.
     */
    static List<String> stableResults(Supplier<List<String>> results) {
        List<String> first = results.get();
        for (int round = 1; round < ROUNDS; round++) {
            if (!results.get().equals(first)) {
                return List.of("round " + round + " differs from round 0");
            }
        }
        return first;
    }

    /**
     * Runs {@code probe}'s main in fresh JVMs with narrower vectors, side by side, and checks that each
     * prints {@code here}, the lines this JVM computes.
     */
    static void assertSameLinesForEveryVectorWidth(Class<?> probe, List<String> here)
            throws IOException, InterruptedException {
        List<Integer> widths = new ArrayList<>();
        List<Process> probes = new ArrayList<>();
        for (int bits : new int[] {128, 256}) {
            if (bits >= Vectors.FLOAT.vectorBitSize() || bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
                continue;
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            widths.add(bits);
            probes.add(new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dvista.vector.bits=" + bits,
                    "-cp", System.getProperty("java.class.path"), probe.getName())
                    .redirectErrorStream(true).start());
        }
        for (int i = 0; i < probes.size(); i++) {
            Process process = probes.get(i);
            List<String> output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(line -> !line.startsWith("WARNING: Using incubator modules")).toList();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe with " + widths.get(i) + " bits did not finish");
            assertEquals(here, output, "results with " + widths.get(i) + "-bit vectors");
        }
        assertTrue(!probes.isEmpty() || Vectors.FLOAT.vectorBitSize() == 128, "no other vector width was tried");
    }
}
