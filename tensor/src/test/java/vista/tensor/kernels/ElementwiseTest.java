package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.KernelTesting.assertSameBits;
import static vista.tensor.kernels.KernelTesting.assertSameFloats;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Elementwise kernels: special values, sigmoid and tanh over wide ranges, broadcasting, dtypes, known
 * values, errors. Fast against reference, threads and vector widths: {@link OpCatalogueTest}
 * ({@code elementwise_unary}, {@code elementwise_binary}, {@code where}).
 */
class ElementwiseTest {
    private static void checkUnary(UnaryOp op, Tensor x, String what) {
        ElementwiseEntries.assertUnaryAgrees(op, x, ElementwiseReference.unary(op, x), ElementwiseFast.unary(op, x), what);
    }

    @Test
    void specialValuesFollowTheReference() {
        float[] values = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2.5f,
            Float.MIN_VALUE, -3f, 1e30f, -1e30f, 88f, -88f, 1e-6f, -1e-6f, 0.5f, 20f};
        Tensor a = Tensor.fromArray(values, values.length, 1);
        Tensor b = Tensor.fromArray(values, 1, values.length);
        for (BinaryOp op : BinaryOp.values()) {
            assertSameFloats(ElementwiseReference.binary(op, a, b), ElementwiseFast.binary(op, a, b), op.toString());
        }
        for (UnaryOp op : ElementwiseEntries.EXACT_UNARY) {
            assertSameFloats(ElementwiseReference.unary(op, a), ElementwiseFast.unary(op, a), op.toString());
        }
        Tensor condition = Tensor.fromArray(new float[] {0f, -0f, Float.NaN, 1f, -2f}, 5);
        assertArrayEquals(new float[] {20, 20, 10, 10, 10},
                ElementwiseFast.where(condition, Tensor.scalar(10), Tensor.scalar(20)).toFloatArray());
    }

    @Test
    void sigmoidAndTanhAreAccurateAndStable() {
        Rng rng = new Rng(4);
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            double scale = i % 4 == 0 ? 1e-4 : i % 4 == 1 ? 1 : i % 4 == 2 ? 10 : 120;
            x[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        Tensor t = Tensor.fromArray(x, x.length);
        checkUnary(UnaryOp.SIGMOID, t, "sigmoid");
        checkUnary(UnaryOp.TANH, t, "tanh");
        checkUnary(UnaryOp.EXP, t, "exp");

        float[] big = {1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 100f, -100f, 9f, -9f};
        Tensor extremes = Tensor.fromArray(big, big.length);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1},
                ElementwiseFast.unary(UnaryOp.TANH, extremes).abs().toFloatArray());
        float[] sigmoid = ElementwiseFast.unary(UnaryOp.SIGMOID, extremes).toFloatArray();
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, (float) UnaryOp.SIGMOID.apply(-100), 0.99987662f, 1.2339458e-4f},
                sigmoid, 1e-10f);
        float tinyTanh = ElementwiseFast.unary(UnaryOp.TANH, Tensor.scalar(1e-3f)).toFloatArray()[0];
        assertEquals((float) StrictMath.tanh(1e-3f), tinyTanh, Math.ulp(1e-3f));
        float negativeZero = ElementwiseFast.unary(UnaryOp.TANH, Tensor.scalar(-0.0)).toFloatArray()[0];
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(negativeZero));
        assertTrue(Float.isNaN(ElementwiseFast.unary(UnaryOp.TANH, Tensor.scalar(Float.NaN)).toFloatArray()[0]));
        assertTrue(Float.isNaN(ElementwiseFast.unary(UnaryOp.SIGMOID, Tensor.scalar(Float.NaN)).toFloatArray()[0]));
    }

    @Test
    void broadcastingFollowsNumpyRules() {
        Tensor images = Tensor.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2);
        Tensor bias = Tensor.fromArray(new float[] {100, 200, 300}, 1, 3, 1, 1);
        Tensor sum = images.add(bias);
        assertEquals(Shape.of(2, 3, 2, 2), sum.shape());
        assertEquals(100 + 0, sum.get(0, 0, 0, 0));
        assertEquals(200 + 5, sum.get(0, 1, 0, 1));
        assertEquals(300 + 23, sum.get(1, 2, 1, 1));

        Tensor column = Tensor.fromArray(new float[] {1, 2, 3}, 3, 1);
        Tensor row = Tensor.fromArray(new float[] {10, 20, 30, 40}, 4);
        Tensor outer = column.mul(row);
        assertEquals(Shape.of(3, 4), outer.shape());
        assertArrayEquals(new float[] {10, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120}, outer.toFloatArray());

        assertEquals(Shape.of(5, 3, 4), Tensor.zeros(5, 1, 4).sub(Tensor.zeros(3, 1)).shape());
        assertEquals(Shape.of(2, 3), Tensor.scalar(1).add(Tensor.zeros(2, 3)).shape());
        assertEquals(Shape.scalar(), Tensor.scalar(1).add(Tensor.scalar(2)).shape());
        assertEquals(Shape.of(0, 3), Tensor.zeros(0, 3).add(Tensor.ones(3)).shape());
        assertEquals(Shape.of(2, 3), Tensor.where(Tensor.ones(2, 1), Tensor.zeros(3), Tensor.scalar(1)).shape());
    }

    @Test
    void rejectsIncompatibleShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: shapes [2, 3] and [4] cannot be broadcast (axis 1 of the result: 3 vs 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).maximum(Tensor.zeros(3, 3)));
        assertTrue(e.getMessage().startsWith("maximum: shapes [2, 3] and [3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(3), Tensor.zeros(3)));
        assertTrue(e.getMessage().startsWith("where: shapes [2] and [3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseReference.binary(BinaryOp.DIV, Tensor.zeros(5), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().startsWith("div: shapes [5] and [2, 4]"), e.getMessage());
    }

    @Test
    void resultIsFloat64IfAnyOperandIs() {
        Tensor f = Tensor.ones(3);
        Tensor d = Tensor.ones(3).to(DType.FLOAT64);
        assertEquals(DType.FLOAT32, f.add(f).dtype());
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        assertEquals(DType.FLOAT64, d.mul(f).dtype());
        assertEquals(DType.FLOAT64, d.exp().dtype());
        assertEquals(DType.FLOAT64, Tensor.where(f, f, d).dtype());
        assertEquals(DType.FLOAT32, Tensor.where(d, f, f).dtype());
        double third = Tensor.fromArray(new double[] {1}, 1).div(Tensor.scalar(3)).toDoubleArray()[0];
        assertEquals(1.0 / 3.0, third);
    }

    @Test
    void float64RunsTheReference() {
        Rng rng = new Rng(5);
        Tensor a = Tensor.randn(rng, 3, 17).to(DType.FLOAT64);
        Tensor b = Tensor.randn(rng, 17).to(DType.FLOAT64);
        assertSameBits(ElementwiseReference.binary(BinaryOp.MUL, a, b), ElementwiseKernels.binary(BinaryOp.MUL, a, b), "mul");
        assertSameBits(ElementwiseReference.unary(UnaryOp.TANH, a), ElementwiseKernels.unary(UnaryOp.TANH, a), "tanh");
        assertEquals(StrictMath.exp(a.get(1, 2)), a.exp().get(1, 2));
    }

    @Test
    void whereTakesIfTrueWhereConditionIsNonZero() {
        Tensor condition = Tensor.fromArray(new float[] {1, 0, -1, 0}, 2, 2);
        Tensor ifTrue = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor ifFalse = Tensor.fromArray(new float[] {-10, -20}, 2);
        assertArrayEquals(new float[] {1, -20, 3, -20}, Tensor.where(condition, ifTrue, ifFalse).toFloatArray());
        assertArrayEquals(new float[] {1, -20, 3, -20},
                ElementwiseReference.where(condition, ifTrue, ifFalse).toFloatArray());
        Tensor tiny = Tensor.fromArray(new double[] {1e-300, 0}, 2);
        assertArrayEquals(new float[] {1, 2}, Tensor.where(tiny, Tensor.ones(2), Tensor.full(2, 2)).toFloatArray());
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.fromArray(new float[] {-2, -0.5f, 0, 4}, 4);
        assertArrayEquals(new float[] {2, 0.5f, -0f, -4}, x.neg().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 4}, x.relu().toFloatArray());
        assertArrayEquals(new float[] {Float.NaN, 0}, Tensor.fromArray(new float[] {Float.NaN, -0f}, 2).relu().toFloatArray(),
                "relu keeps NaN (a diverging run must show) and maps -0 to +0");
        assertArrayEquals(new float[] {2, 0.5f, 0, 4}, x.abs().toFloatArray());
        assertArrayEquals(new float[] {0, 0.5f, 1.5f, 4},
                Tensor.fromArray(new float[] {0, 0.25f, 2.25f, 16}, 4).sqrt().toFloatArray());
        assertArrayEquals(new float[] {4, 0.25f, 0, 16}, x.pow(2).toFloatArray());
        assertArrayEquals(new float[] {0.5f}, Tensor.scalar(0).sigmoid().toFloatArray());
        Tensor exponents = Tensor.fromArray(new float[] {0, 1}, 2);
        assertArrayEquals(new float[] {1, (float) Math.E}, exponents.exp().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 1, 1}, x.ge(Tensor.scalar(0)).toFloatArray());
        assertArrayEquals(new float[] {-2, -0.5f, 0, 1}, x.minimum(Tensor.scalar(1)).toFloatArray());
        assertArrayEquals(new float[] {-1, -0.5f, 0, 4}, x.maximum(Tensor.scalar(-1)).toFloatArray());
    }
}
