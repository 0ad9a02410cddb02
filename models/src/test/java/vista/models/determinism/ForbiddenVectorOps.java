package vista.models.determinism;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vista.models.sources.JavaCode;

/**
 * Finds, in the code of a Java source (comments and literals ignored, {@link JavaCode}), the Vector API
 * operations whose float results the JDK does not pin down, so that a kernel using them can give other
 * bits from one run, JIT state or machine to the next:
 * <ul>
 *   <li>{@code reduceLanes(...)}: for ADD and MUL on floats "the order is intentionally not defined" and
 *       "may vary for the same input values" (VectorOperators, "Operations on floating point vectors");
 *       on this machine its bits changed once the JIT compiled it. Integer reductions and MIN/MAX are
 *       exact, but none is needed, so every call is reported;</li>
 *   <li>the math-library lane operators ({@code EXP}, {@code LOG}, {@code TANH}, ... {@code POW}): they
 *       promise only the accuracy of {@code Math.exp} etc.; the JDK may compute them with a native
 *       vector library (SVML on x86, SLEEF on ARM) or lane by lane with the {@code Math} methods, and
 *       on this machine {@code lanewise(EXP)} changed its bits once compiled. Named as {@code VectorOperators.EXP} (a
 *       static import included) or as the first argument of {@code lanewise}.</li>
 * </ul>
 * Vista's kernels sum lanes in a fixed order themselves ({@code LogicalLanes}) and compute exp with
 * their own polynomial ({@code FastExp}).
 */
final class ForbiddenVectorOps {
    private static final String MATH_LIBRARY = "SIN|COS|TAN|ASIN|ACOS|ATAN|EXP|LOG|LOG10|CBRT|SINH|COSH|TANH|EXPM1"
            + "|LOG1P|ATAN2|POW|HYPOT";
    private static final Pattern REDUCE_LANES = Pattern.compile("\\breduceLanes\\s*\\(");
    private static final Pattern MATH_OPERATOR = Pattern.compile(
            "\\bVectorOperators\\s*\\.\\s*(" + MATH_LIBRARY + ")\\b|\\blanewise\\s*\\(\\s*(" + MATH_LIBRARY + ")\\b");

    private ForbiddenVectorOps() {
    }

    /** "file:line: code (why)" for each use in {@code source}, in line order. */
    static List<String> find(String file, String source) {
        List<String> found = new ArrayList<>();
        String[] code = JavaCode.withoutCommentsAndLiterals(source).split("\n", -1);
        for (int line = 0; line < code.length; line++) {
            String where = file + ":" + (line + 1) + ": " + code[line].strip();
            if (REDUCE_LANES.matcher(code[line]).find()) {
                found.add(where + " (reduceLanes: unspecified order of float sums)");
            }
            Matcher math = MATH_OPERATOR.matcher(code[line]);
            if (math.find()) {
                found.add(where + " (a vector math-library operator: bits may change once compiled; use FastExp)");
            }
        }
        return found;
    }
}
