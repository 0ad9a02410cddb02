package vista.learn.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vista.autograd.Function;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.kernels.UnaryOp;

/**
 * The checks of the sigmoid exercise, run on the learner's {@link SigmoidExercise}
 * ({@link Chapter2SigmoidExerciseTest}, tagged {@code exercise}) and on Vista's own {@code Sigmoid}
 * ({@link Chapter2SigmoidSolutionTest}, in the normal suite), so the checks themselves are known to be right.
 */
abstract class Chapter2SigmoidChecks {
    /** A new, unapplied instance of the op under test (a Function is one graph node, used once). */
    abstract Function sigmoid();

    @Test
    void forwardMatchesTheFormula() {
        Tensor x = Tensor.arange(-6, 6.5, 0.5);
        Tensor y = sigmoid().apply(new Variable(x)).data();
        assertEquals(x.shape(), y.shape(), "the output must have the input's shape");
        for (int i = 0; i < x.numel(); i++) {
            double expected = UnaryOp.SIGMOID.apply(x.get(i));
            assertEquals(expected, y.get(i), 1e-6, "sigmoid(" + x.get(i) + ")");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randn(new Rng(2), 3, 4).mul(2);
        Supplier<Function> op = this::sigmoid;
        GradCheck.Result result = GradCheck.of(v -> op.get().apply(v[0]), x).run();
        assertTrue(result.passed(), result.report());
    }

    @Test
    void gradientFlowsThroughAComposition() {
        Tensor x = Tensor.randn(new Rng(3), 5);
        GradCheck.Result result = GradCheck.of(v -> sigmoid().apply(v[0].mul(v[0])).mul(v[0]), x).run();
        assertTrue(result.passed(), result.report());
    }
}
