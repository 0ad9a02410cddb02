package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Vectors;

/**
 * The width check of every fast kernel. {@link #main} prints, for every {@link OpCatalogue} entry, one line
 * per fast result of its width problems: the entry's name, the problem, and a hash of the result's float
 * bits ({@link #hash}), after computing them {@value #ROUNDS} times, so that the JIT compiles the kernels
 * meanwhile; a line saying which round differed replaces them if any round did.
 * {@link #assertSameLinesForEveryVectorWidth} runs it once in a fresh JVM per narrower vector width the
 * CPU has ({@code -Dvista.vector.bits}, side by side, for all entries at once) and checks that each
 * prints an entry's lines as this JVM, with the widest, computes them.
 *
 * <p>Reductions, softmax and batch normalisation define their summation order on 16 logical
 * accumulators, not on hardware lanes; GEMM and convolution keep one FMA chain per element; elementwise
 * kernels, the channel affine maps, pooling and the local-attention kernels run their last, partial vector
 * through the same expression as the others.
 */
public final class VectorWidthProbe {
    /** Rounds the probe computes, so that the JIT compiles the kernels meanwhile. */
    static final int ROUNDS = 30;
    /** How long the probe may take in a fresh JVM beside others on two cores. */
    private static final long TIMEOUT_SECONDS = 180;

    /** What the probe printed with each narrower width, once it ran (all entries, one JVM per width). */
    private static Map<Integer, List<String>> narrower;
    /** Why the probes failed, if they did: every entry's check reports it without running them again. */
    private static AssertionError failure;

    private VectorWidthProbe() {
    }

    /** Prints every entry's width lines, if {@value #ROUNDS} rounds of them agree. */
    public static void main(String[] args) {
        for (OpEntry<?> entry : OpCatalogue.entries()) {
            stableLines(entry).forEach(System.out::println);
        }
    }

    /** "entry, problem: result hash" for each fast result of the entry's width problems. */
    static <P> List<String> lines(OpEntry<P> entry) {
        List<String> lines = new ArrayList<>();
        for (OpEntry.Problem<P> problem : entry.widthProblems()) {
            Tensor[] results = entry.fastResults(problem.parameters(), entry.inputs(problem));
            for (int i = 0; i < results.length; i++) {
                lines.add(entry.describe(problem, i) + " " + hash(results[i]));
            }
        }
        return lines;
    }

    /** The entry's lines if {@value #ROUNDS} rounds give the same; otherwise a line saying which round differed. */
    static List<String> stableLines(OpEntry<?> entry) {
        List<String> first = lines(entry);
        for (int round = 1; round < ROUNDS; round++) {
            if (!lines(entry).equals(first)) {
                return List.of(entry.name() + ": round " + round + " differs from round 0");
            }
        }
        return first;
    }

    /** A hash of the float bits of {@code t}, in hexadecimal. */
    static String hash(Tensor t) {
        long hash = 17;
        for (int bits : KernelTesting.bits(t)) {
            hash = Rng.mix64(hash ^ bits);
        }
        return Long.toHexString(hash);
    }

    /** Fails unless every narrower vector width gives the entry's lines as computed here. */
    static void assertSameLinesForEveryVectorWidth(OpEntry<?> entry) {
        List<String> here = lines(entry);
        String prefix = entry.name() + ",";
        for (Map.Entry<Integer, List<String>> width : narrower().entrySet()) {
            List<String> there = width.getValue().stream().filter(line -> line.startsWith(prefix)
                    || line.startsWith(entry.name() + ":")).toList();
            assertEquals(here, there, entry + ": results with " + width.getKey() + "-bit vectors");
        }
        assertTrue(!narrower().isEmpty() || Vectors.FLOAT.vectorBitSize() == 128, "no other vector width was tried");
    }

    /** Runs {@link #main} in a fresh JVM per narrower width (side by side) the first time; its lines by width. */
    private static synchronized Map<Integer, List<String>> narrower() {
        if (failure != null) {
            throw failure;
        }
        if (narrower == null) {
            try {
                narrower = runNarrower();
            } catch (AssertionError e) {
                failure = e;
                throw e;
            }
        }
        return narrower;
    }

    private static Map<Integer, List<String>> runNarrower() {
        Map<Integer, Process> probes = new LinkedHashMap<>();
        for (int bits : new int[] {128, 256}) {
            if (bits < Vectors.FLOAT.vectorBitSize() && bits <= FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
                probes.put(bits, start("vista.vector.bits=" + bits));
            }
        }
        Map<Integer, List<String>> lines = new LinkedHashMap<>();
        try {
            for (Map.Entry<Integer, Process> probe : probes.entrySet()) {
                Process process = probe.getValue();
                String which = "the probe with " + probe.getKey() + "-bit vectors";
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    fail(which + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                assertEquals(0, process.exitValue(), which + " failed:\n" + output);
                lines.put(probe.getKey(), output.lines()
                        .filter(line -> !line.startsWith("WARNING: Using incubator modules")).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            probes.values().forEach(Process::destroyForcibly);
        }
        return lines;
    }

    /** This probe in a fresh JVM with this one's class path, the Vector API and {@code property}. */
    private static Process start(String property) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-D" + property, "-cp",
                    System.getProperty("java.class.path"), VectorWidthProbe.class.getName())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the probe with " + property, e);
        }
    }
}
