package vista.tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import vista.tensor.kernels.VectorWidthProbe;

/** The switches {@code vista.vector.bits} and {@code vista.kernels} take only what they can honour. */
class VectorsTest {
    @Test
    void takesEveryWidthUpToTheHardwaresAndTheWidestByDefault() {
        int hardware = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(hardware, Vectors.chooseSpecies(null, hardware).vectorBitSize());
        for (int bits = 128; bits <= hardware; bits *= 2) {
            assertEquals(bits, Vectors.chooseSpecies(String.valueOf(bits), hardware).vectorBitSize());
        }
    }

    /** The kernels' summation orders have 16 logical lanes, one 512-bit vector: wider hardware runs at 512. */
    @Test
    void neverChoosesMoreThan512BitsByDefault() {
        assertEquals(512, Vectors.chooseSpecies(null, 2048).vectorBitSize());
        assertEquals(16, Vectors.chooseSpecies("", 1024).length());
        assertEquals("vista.vector.bits=512 is wider than this CPU's 256-bit vectors; choose 256 or less",
                assertThrows(IllegalArgumentException.class, () -> Vectors.chooseSpecies("512", 256)).getMessage());
    }

    @Test
    void refusesWhatIsNotAWidth() {
        assertEquals("vista.vector.bits must be 128, 256 or 512, got 64",
                assertThrows(IllegalArgumentException.class, () -> Vectors.chooseSpecies("64", 512)).getMessage());
        assertEquals("vista.vector.bits must be 128, 256 or 512, got 'wide'",
                assertThrows(IllegalArgumentException.class, () -> Vectors.chooseSpecies("wide", 512)).getMessage());
        assertEquals("vista.kernels must be 'fast' or 'reference', got 'scalar'",
                assertThrows(IllegalArgumentException.class, () -> Kernels.chooseFast("scalar")).getMessage());
    }

    /**
     * A JVM whose vectors are limited to 256 bits ({@code -XX:MaxVectorSize=32}, HotSpot), or fewer, refuses
     * {@code vista.vector.bits=512}, which the JDK would emulate about 50x slower, as its first kernel
     * loads.
     */
    @Test
    void refusesAWidthAboveTheHardwares() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:MaxVectorSize=32", "--add-modules", "jdk.incubator.vector",
                "-Dvista.vector.bits=512", "-cp", System.getProperty("java.class.path"),
                VectorWidthProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not finish");
        assertNotEquals(0, process.exitValue(), output);
        int limit = Math.min(256, FloatVector.SPECIES_PREFERRED.vectorBitSize());
        assertTrue(output.contains("vista.vector.bits=512 is wider than this CPU's " + limit + "-bit vectors; choose "
                + limit + " or less"), output);
    }
}
