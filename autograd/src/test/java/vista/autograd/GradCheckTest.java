package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Tensor;

/** GradCheck itself: it must be able to fail, and say where. */
class GradCheckTest {

    /** {@code y = x^2} with the wrong derivative {@code dL/dx = g x} (the factor 2 is missing). */
    private static final class SquareWithWrongGradient extends Function {
        @Override
        protected Tensor forward(Tensor... inputs) {
            save(inputs[0]);
            return inputs[0].mul(inputs[0]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(saved(0))};
        }
    }

    private static final Tensor X = Tensor.fromArray(new float[] {0.5f, -1.5f, 2, 0.25f}, 2, 2);

    @Test
    void gradCheckDetectsAWrongGradient() {
        GradCheck.Result result = GradCheck.of(x -> new SquareWithWrongGradient().apply(x[0]), X).run();
        assertFalse(result.passed());
        assertEquals(0, result.inputIndex());
        assertEquals(2, result.elementIndex(), "x = 2 has the largest error, |2x - x| = 2 (times R)");
        assertEquals(result.numeric() / 2, result.analytic(), 1e-8);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.of(x -> new SquareWithWrongGradient().apply(x[0]), X).assertPasses());
        assertTrue(e.getMessage().contains("FAILED") && e.getMessage().contains("[1, 0]"), e.getMessage());
    }

    @Test
    void gradCheckPassesTheCorrectGradient() {
        GradCheck.Result result = GradCheck.of(x -> x[0].mul(x[0]), X).run();
        assertTrue(result.passed(), result.report());
        assertEquals(4, result.checkedElements());
    }

    @Test
    void excludedInputsAreNotChecked() {
        GradCheck.Result result = GradCheck.of(x -> new SquareWithWrongGradient().apply(x[0]).mul(x[1]),
                X, Tensor.ones(2, 2)).exclude(0).run();
        assertTrue(result.passed(), result.report());
        assertEquals(1, result.inputIndex());
        assertEquals(4, result.checkedElements());
    }

    @Test
    void computationsMustStayInFloat64() {
        GradCheck check = GradCheck.of(x -> new Variable(x[0].data().to(DType.FLOAT32)), X);
        assertThrows(IllegalArgumentException.class, check::run);
    }
}
