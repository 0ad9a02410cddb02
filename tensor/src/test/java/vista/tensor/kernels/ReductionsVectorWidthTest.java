package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels give the same bits whatever the vector width: {@link VectorWidthProbe} run in a
 * fresh JVM with {@code -Dvista.vector.bits=128} and {@code 256} must print exactly what it computes in
 * this JVM (the widest species the CPU has), and give the same bits in every one of 40 rounds (before
 * and after the JIT compiles the kernels). Reductions and softmax are the kernels at risk: their
 * summation order is defined on 16 logical accumulators, not on hardware lanes.
 */
class ReductionsVectorWidthTest {
    /** Rounds the probe computes in the child JVM, so that the JIT compiles the kernels meanwhile. */
    private static final int ROUNDS = 40;

    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        List<String> here = VectorWidthProbe.results();
        int checked = 0;
        for (int bits : new int[] {128, 256, 512}) {
            if (bits == Vectors.FLOAT.vectorBitSize() || bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
                continue;
            }
            assertEquals(here, runProbe(bits), "results with " + bits + "-bit vectors differ from "
                    + Vectors.FLOAT.vectorBitSize() + "-bit ones");
            checked++;
        }
        assertTrue(checked > 0 || Vectors.FLOAT.vectorBitSize() == 128, "no other vector width was tried");
    }

    private static List<String> runProbe(int bits) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-Dvista.vector.bits=" + bits, "-cp", System.getProperty("java.class.path"),
                VectorWidthProbe.class.getName(), String.valueOf(ROUNDS)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe with " + bits + " bits did not finish");
        assertEquals(0, process.exitValue(), "probe with " + bits + " bits failed; output:\n" + output);
        return output.lines().toList();
    }
}
