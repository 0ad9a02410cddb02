package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/** The reverse pass and the graph recorder: what backward fills in, frees and refuses. */
class BackwardTest {

    private static Variable leaf(float... values) {
        return new Variable(Tensor.fromArray(values, values.length), true);
    }

    @Test
    void broadcastGradientsReduceToInputShape() {
        Variable a = new Variable(Tensor.ones(2, 3, 4), true);
        Variable b = new Variable(Tensor.ones(3, 1), true);
        Variable c = new Variable(Tensor.scalar(2), true);
        a.add(b).mul(c).sum().backward();
        assertEquals(Shape.of(2, 3, 4), a.grad().shape());
        assertEquals(Shape.of(3, 1), b.grad().shape());
        assertEquals(Shape.of(), c.grad().shape());
        assertArrayEquals(new float[] {16, 16, 16}, b.grad().toFloatArray());
        assertEquals(2 * 3 * 4 * 2, c.grad().item());
    }

    @Test
    void deepChainBackwardDoesNotOverflowStack() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Tensor> grad = new AtomicReference<>();
        Runnable chain = () -> {
            try {
                Variable x = leaf(1, 2);
                Variable y = x;
                for (int i = 0; i < 100_000; i++) {
                    y = y.neg();
                }
                y.sum().backward();
                grad.set(x.grad());
            } catch (Throwable t) {
                failure.set(t);
            }
        };
        Thread small = new Thread(null, chain, "deep-chain", 256 * 1024);
        small.start();
        small.join();
        assertNull(failure.get(), () -> "backward through 100,000 ops failed: " + failure.get());
        assertArrayEquals(new float[] {1, 1}, grad.get().toFloatArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Variable x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3}, x.grad().toFloatArray());
    }

    @Test
    void retainedGraphSupportsASecondBackward() {
        Variable x = leaf(1, 2, 3);
        Variable loss = x.exp().sum();
        loss.backward(true);
        loss.backward();
        assertArrayEquals(x.data().exp().mul(2).toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void secondBackwardThroughFreedGraphFails() {
        Variable x = leaf(1, 2, 3);
        Variable loss = x.exp().sum();
        loss.backward();
        Tensor gradAfterFirstPass = x.grad();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already freed") && e.getMessage().contains("retainGraph"),
                e.getMessage());
        assertSame(gradAfterFirstPass, x.grad(), "a refused backward must not touch leaf gradients");
        Variable intermediate = x.exp();
        intermediate.sum().backward();
        assertThrows(IllegalStateException.class, () -> intermediate.mul(2).sum().backward(),
                "a new graph that reaches a freed node is refused too");
    }

    @Test
    void backwardWithoutGradientNeedsOneElement() {
        Variable y = leaf(1, 2, 3).mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void upstreamGradientMustMatchTheShape() {
        Variable x = leaf(1, 2, 3);
        Variable y = x.mul(2);
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(2)));
        y.backward(Tensor.fromArray(new float[] {1, 10, 100}, 3));
        assertArrayEquals(new float[] {2, 20, 200}, x.grad().toFloatArray());
    }

    @Test
    @SuppressWarnings("try")
    void noGradBuildsNoGraph() {
        Variable x = leaf(1, 2, 3);
        try (var outer = Autograd.noGrad()) {
            try (var inner = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "closing a nested scope restores the outer scope's state");
            Variable y = x.mul(x);
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            assertThrows(IllegalStateException.class, () -> y.sum().backward());
        }
        assertTrue(Autograd.isGradEnabled());
        assertNotNull(x.mul(x).gradFn());
    }

    @Test
    void detachStopsGradients() {
        Variable x = leaf(1, 2, 3);
        Variable detached = x.detach();
        assertSame(x.data(), detached.data());
        assertFalse(detached.requiresGrad());
        x.mul(detached).sum().backward();
        assertArrayEquals(new float[] {1, 2, 3}, x.grad().toFloatArray(), "d(x * const)/dx = const, not 2x");
    }

    @Test
    void sharedSubexpressionGradientsAreSummed() {
        Variable x = leaf(0.5f, -1);
        Variable s = x.exp();
        s.mul(s).add(s).sum().backward();
        double[] expected = new double[2];
        double[] values = {0.5, -1};
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(values[i]);
            expected[i] = 2 * e * e + e;
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-5);
    }

    @Test
    void nonLeafGradientsAreKeptOnlyWhenRetained() {
        Variable x = leaf(1, 2);
        Variable kept = x.mul(3).retainGrad();
        Variable dropped = kept.exp();
        dropped.sum().backward();
        assertNull(dropped.grad());
        assertArrayEquals(x.data().mul(3).exp().toFloatArray(), kept.grad().toFloatArray());
    }

    @Test
    void leafGradientIsAPrivateCopy() {
        Variable a = leaf(1, 2);
        Variable b = leaf(3, 4);
        Tensor upstream = Tensor.ones(2);
        a.add(b).backward(upstream);
        a.grad().fill(0);
        assertArrayEquals(new float[] {1, 1}, b.grad().toFloatArray());
        assertArrayEquals(new float[] {1, 1}, upstream.toFloatArray());
    }

    @Test
    void gradientsFollowTheDtypeOfEachLeaf() {
        Variable single = new Variable(Tensor.ones(2), true);
        Variable dbl = new Variable(Tensor.full(DType.FLOAT64, 2, Shape.of(2)), true);
        single.mul(dbl).sum().backward();
        assertEquals(DType.FLOAT32, single.grad().dtype());
        assertEquals(DType.FLOAT64, dbl.grad().dtype());
    }

    @Test
    void onlyLeavesCanChangeRequiresGrad() {
        Variable x = leaf(1, 2);
        assertThrows(IllegalStateException.class, () -> x.mul(2).requiresGrad(false));
        assertFalse(x.requiresGrad(false).requiresGrad());
    }

    @Test
    void aFunctionInstanceIsOneNode() {
        var mul = new vista.autograd.functions.Mul();
        Variable x = leaf(1, 2);
        mul.apply(x, x);
        assertThrows(IllegalStateException.class, () -> mul.apply(x, x));
    }
}
