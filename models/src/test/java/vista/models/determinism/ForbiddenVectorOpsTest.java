package vista.models.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No code that training runs uses a Vector API operation whose float bits the JDK leaves open
 * ({@link ForbiddenVectorOps}): the main sources of {@code tensor}, {@code autograd}, {@code nn},
 * {@code data} and {@code models} are read from the project folder, found above this class's compiled
 * location.
 */
class ForbiddenVectorOpsTest {
    private static final List<String> MODULES = List.of("tensor", "autograd", "nn", "data", "models");

    @Test
    void noTrainingCodeUsesReduceLanesOrVectorMathLibraryOperators() throws IOException {
        Path project = projectFolder();
        List<String> found = new ArrayList<>();
        List<Path> read = new ArrayList<>();
        for (String module : MODULES) {
            Path sources = project.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(sources), "no main sources at " + sources);
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    read.add(file);
                    found.addAll(ForbiddenVectorOps.find(project.relativize(file).toString(), Files.readString(file)));
                }
            }
        }
        assertTrue(read.contains(project.resolve("tensor/src/main/java/vista/tensor/kernels/FastExp.java")),
                "the kernels were not read: " + read.size() + " files");
        assertTrue(found.isEmpty(), "Vector API operations with unspecified float bits:\n" + String.join("\n", found));
    }

    /** The check finds each form of use, and nothing in comments or string literals. */
    @Test
    void findsForbiddenOperationsInCodeButNotInCommentsOrLiterals() {
        String source = """
                /** Never {@code v.reduceLanes(VectorOperators.ADD)} nor lanewise(VectorOperators.EXP). */
                class K {
                    // v.reduceLanes(ADD)
                    String s = "v.lanewise(VectorOperators.TANH) \\" reduceLanes(";
                    char c = '"';
                    float a = v.reduceLanes(VectorOperators.ADD);
                    FloatVector b = v.lanewise(VectorOperators.EXP); /* lanewise(LOG) */
                    FloatVector d = v.lanewise( POW, w);
                    FloatVector e = v.lanewise(VectorOperators.SQRT).add(FastExp.exp(v)).lanewise(VectorOperators.MAX, w);
                    int f = UnaryOp.EXP.ordinal() + VectorOperators.LOG1P.hashCode();
                }
                """;
        List<String> found = ForbiddenVectorOps.find("K.java", source);
        assertEquals(List.of(6, 7, 8, 10), found.stream()
                .map(line -> Integer.parseInt(line.split(":")[1])).toList(), String.join("\n", found));
    }

    /** The folder holding the modules: the nearest one above this class's compiled location with {@code tensor/}. */
    private static Path projectFolder() {
        try {
            Path here = Path.of(ForbiddenVectorOpsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("tensor/src/main/java"))) {
                    return p;
                }
            }
            throw new IllegalStateException("no folder with tensor/src/main/java above " + here);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes' location is not a path", e);
        }
    }
}
