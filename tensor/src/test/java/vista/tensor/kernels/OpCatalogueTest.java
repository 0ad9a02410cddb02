package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * The generic kernel checks, run on every entry of the {@link OpCatalogue} (the display name is the
 * entry's name, a failure names the problem and the result):
 * <ul>
 *   <li>the fast kernels agree with the reference kernels on the entry's awkward problems, as closely as
 *       the entry's agreement says;</li>
 *   <li>they give the same bits with 1, 2, 3 and 4 threads (work is cut into tiles chosen from the shape
 *       alone, and partial results are combined in tile order);</li>
 *   <li>they give the same bits with every vector width the CPU has ({@link VectorWidthProbe}: one fresh
 *       JVM per narrower width for all entries, before and after the JIT compiles the kernels).</li>
 * </ul>
 */
class OpCatalogueTest {
    /** Thread counts compared with one thread. */
    private static final int[] THREADS = {2, 3, 4};

    static Stream<OpEntry<?>> entries() {
        return OpCatalogue.entries().stream();
    }

    static Stream<OpEntry<?>> entriesWithReference() {
        return entries().filter(OpEntry::hasReference);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entriesWithReference")
    void fastMatchesReference(OpEntry<?> entry) {
        assertFalse(entry.problems().isEmpty(), entry + " has no problem to compare fast and reference on");
        agree(entry);
    }

    private static <P> void agree(OpEntry<P> entry) {
        for (OpEntry.Problem<P> problem : entry.problems()) {
            entry.assertFastMatchesReference(problem);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void sameBitsForAnyThreadCount(OpEntry<?> entry) {
        assertFalse(entry.threadProblems().isEmpty(), entry + " has no thread problem");
        sameBitsForAnyThreadCount(entry, THREADS);
    }

    private static <P> void sameBitsForAnyThreadCount(OpEntry<P> entry, int... threadCounts) {
        for (OpEntry.Problem<P> problem : entry.threadProblems()) {
            Tensor[] x = entry.inputs(problem);
            Tensor[] one = Parallel.withThreads(1, () -> entry.fastResults(problem.parameters(), x));
            for (int threads : threadCounts) {
                Tensor[] many = Parallel.withThreads(threads, () -> entry.fastResults(problem.parameters(), x));
                for (int i = 0; i < one.length; i++) {
                    KernelTesting.assertSameFloats(one[i], many[i], entry.describe(problem, i) + " with " + threads
                            + " threads");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void sameBitsForEveryVectorWidth(OpEntry<?> entry) {
        assertFalse(entry.widthProblems().isEmpty(), entry + " has no width problem");
        VectorWidthProbe.assertSameLinesForEveryVectorWidth(entry);
    }

    /** Names in the parity fixtures' style (lower case, words joined by _), each once; problems named once each. */
    @Test
    void namesAreSnakeCaseAndUnique() {
        List<String> names = OpCatalogue.names();
        assertEquals(names.size(), Set.copyOf(names).size(), "a name appears twice: " + names);
        for (String name : names) {
            assertTrue(name.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), name);
        }
        entries().forEach(entry -> {
            for (List<? extends OpEntry.Problem<?>> problems : List.of(entry.problems(), entry.threadProblems(),
                    entry.widthProblems())) {
                Set<String> seen = new HashSet<>();
                problems.forEach(p -> assertTrue(seen.add(p.name()), entry + ": problem '" + p + "' appears twice"));
            }
        });
    }
}
