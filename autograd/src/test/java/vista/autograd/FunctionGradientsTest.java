package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.autograd.GradientCases.GradientCase;

/** Every backward rule against float64 finite differences, one nested group per operation family. */
class FunctionGradientsTest {

    @Nested
    class Elementwise {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#elementwise")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class Broadcasting {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#broadcasting")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class Reductions {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#reductions")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class Softmax {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#softmax")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class MatMul {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#matmul")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class Layout {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#layout")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    @Nested
    class Composite {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vista.autograd.FunctionGradientsTest#composite")
        void gradientsMatchFiniteDifferences(GradientCase c) {
            c.check().assertPasses();
        }
    }

    static Stream<GradientCase> elementwise() {
        return GradientCases.ofFamily(GradientCases.ELEMENTWISE).stream();
    }

    static Stream<GradientCase> broadcasting() {
        return GradientCases.ofFamily(GradientCases.BROADCASTING).stream();
    }

    static Stream<GradientCase> reductions() {
        return GradientCases.ofFamily(GradientCases.REDUCTIONS).stream();
    }

    static Stream<GradientCase> softmax() {
        return GradientCases.ofFamily(GradientCases.SOFTMAX).stream();
    }

    static Stream<GradientCase> matmul() {
        return GradientCases.ofFamily(GradientCases.MATMUL).stream();
    }

    static Stream<GradientCase> layout() {
        return GradientCases.ofFamily(GradientCases.LAYOUT).stream();
    }

    static Stream<GradientCase> composite() {
        return GradientCases.ofFamily(GradientCases.COMPOSITE).stream();
    }

    /** The catalogue reaches every Function in vista.autograd.functions (read from the compiled classes). */
    @Test
    void everyOperationIsGradientChecked() throws IOException, URISyntaxException {
        Set<String> defined = new TreeSet<>();
        Path folder = Path.of(vista.autograd.functions.Add.class.getResource(".").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.startsWith("package-info"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .filter(name -> {
                        try {
                            return Function.class.isAssignableFrom(
                                    Class.forName("vista.autograd.functions." + name));
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .forEach(defined::add);
        }
        Set<String> exercised = new TreeSet<>();
        for (GradientCase c : GradientCases.all()) {
            Variable[] leaves = new Variable[c.inputs().length];
            for (int i = 0; i < leaves.length; i++) {
                leaves[i] = new Variable(c.inputs()[i], true);
            }
            collectOperations(c.f().compute(leaves), exercised);
        }
        assertEquals(defined, exercised);
    }

    private static void collectOperations(Variable root, Set<String> names) {
        Deque<Variable> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Function fn = todo.pop().gradFn();
            if (fn != null) {
                names.add(fn.name());
                fn.inputs().forEach(todo::push);
            }
        }
    }
}
