package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vista.autograd.GradientCases.GradientCase;
import vista.tensor.kernels.OpCatalogue;

/**
 * Every backward rule against float64 finite differences: one check per case of the catalogue
 * ({@link GradientCases#all()}), so a case cannot be added without being run; the display name is
 * "op: case". Every Function is reached by some case, and every op of the tensor module's
 * {@link OpCatalogue} that has a Function has cases under its name.
 */
class FunctionGradientsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void gradientsMatchFiniteDifferences(GradientCase c) {
        c.check().assertPasses();
    }

    static Stream<GradientCase> allCases() {
        return GradientCases.all().stream();
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

    /** A new kernel op in the catalogue fails here until its function has gradient cases under the op's name. */
    @Test
    void everyCatalogueOpWithAFunctionIsGradientChecked() {
        Set<String> checked = new TreeSet<>();
        GradientCases.all().forEach(c -> checked.add(c.op()));
        assertTrue(OpCatalogue.names().containsAll(GradientCases.WITHOUT_GRADIENT), GradientCases.WITHOUT_GRADIENT
                + " are not all catalogue ops");
        Set<String> missing = new TreeSet<>(OpCatalogue.names());
        missing.removeAll(GradientCases.WITHOUT_GRADIENT);
        missing.removeAll(checked);
        assertEquals(Set.of(), missing, "catalogue ops without gradient cases");
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
