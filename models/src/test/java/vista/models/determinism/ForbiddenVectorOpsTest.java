package vista.models.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vista.models.sources.ProjectSources;
import vista.models.sources.ProjectSources.SourceFile;

/**
 * No code that training runs uses a Vector API operation whose float bits the JDK leaves open
 * ({@link ForbiddenVectorOps}): the main sources of {@code tensor}, {@code autograd}, {@code nn},
 * {@code data} and {@code models} ({@link ProjectSources}).
 */
class ForbiddenVectorOpsTest {
    @Test
    void noTrainingCodeUsesReduceLanesOrVectorMathLibraryOperators() {
        List<SourceFile> files = ProjectSources.mainSources(ProjectSources.MODULES);
        assertTrue(files.stream().anyMatch(f -> f.path().endsWith("vista/tensor/kernels/FastExp.java")),
                "the kernels were not read: " + files.size() + " files");
        List<String> found = new ArrayList<>();
        for (SourceFile file : files) {
            found.addAll(ForbiddenVectorOps.find(file.path().toString(), file.source()));
        }
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
}
