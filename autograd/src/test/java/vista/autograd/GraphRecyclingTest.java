package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vista.tensor.BufferPool;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * A backward pass inside {@link BufferPool#use()}: the gradients are the same bits as without a pool, the
 * intermediate results go back to the pool, and the root, the leaves and their gradients do not.
 */
class GraphRecyclingTest {

    /** A step whose graph has views, a variable used twice, saved inputs and a broadcast. */
    private record Step(Variable x, Variable w, Variable b, Variable hidden, Variable loss) {
        static Step run(Tensor input, Tensor weight, Tensor bias) {
            Variable x = new Variable(input, true);
            Variable w = new Variable(weight, true);
            Variable b = new Variable(bias, true);
            Variable hidden = x.matmul(w).add(b).relu();
            Variable shared = hidden.reshape(-1).reshape(hidden.dims());
            Variable loss = shared.mul(hidden).add(hidden.exp()).sum().mul(0.5);
            loss.backward();
            return new Step(x, w, b, hidden, loss);
        }

        List<float[]> gradients() {
            return List.of(x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray());
        }
    }

    private static Tensor[] operands() {
        Rng rng = new Rng(5);
        return new Tensor[] {Tensor.randn(rng, 4, 6), Tensor.randn(rng, 6, 5), Tensor.randn(rng, 5)};
    }

    @Test
    void sameGradientsWithAPoolStepAfterStep() {
        Tensor[] in = operands();
        List<float[]> expected = Step.run(in[0], in[1], in[2]).gradients();
        BufferPool pool = new BufferPool();
        for (int step = 0; step < 3; step++) {
            try (BufferPool.Scope scope = pool.use()) {
                List<float[]> actual = Step.run(in[0], in[1], in[2]).gradients();
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i));
                }
            }
        }
        assertTrue(pool.reusedBytes() > 0);
    }

    @Test
    void intermediatesGoBackButRootLeavesAndGradientsStay() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            Tensor[] in = operands();
            Step step = Step.run(in[0], in[1], in[2]);
            assertFalse(pool.isLent(step.hidden().data().storage()));
            List<Tensor> untouched = new ArrayList<>(List.of(step.loss().data(), step.x().grad(), step.w().grad(),
                    step.b().grad(), step.x().data()));
            for (Tensor t : untouched) {
                assertTrue(pool.isLent(t.storage()));
            }
        }
    }

    @Test
    void retainedGraphGivesNothingBack() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            Variable x = new Variable(Tensor.ones(3), true);
            Variable hidden = x.expand(2, 3).exp();
            Variable loss = hidden.sum();
            loss.backward(true);
            assertTrue(pool.isLent(hidden.data().storage()));
            float before = x.grad().toFloatArray()[0];
            loss.backward();
            assertEquals(2 * before, x.grad().toFloatArray()[0]);
            assertEquals(2 * (float) Math.E, before);
            assertFalse(pool.isLent(hidden.data().storage()));
        }
    }

    @Test
    void zeroGradGivesTheGradientBackOnlyInsideAPool() {
        Variable x = new Variable(Tensor.ones(3), true);
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            x.exp().sum().backward();
            Tensor grad = x.grad();
            x.zeroGrad();
            assertFalse(pool.isLent(grad.storage()));
            x.exp().sum().backward();
        }
        Tensor grad = x.grad();
        x.zeroGrad();
        assertTrue(pool.isLent(grad.storage()));
    }

    /** {@code y = 2 x}, saving one tensor it shares ({@link #save}) and one of its own ({@link #saveOwned}). */
    private static final class TwiceWithSavedTensors extends Function {
        private final Tensor shared = Tensor.zeros(5);
        private Tensor own;

        @Override
        protected Tensor forward(Tensor... inputs) {
            own = Tensor.zeros(7);
            save(shared);
            saveOwned(own);
            return inputs[0].mul(Tensor.scalar(2));
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(Tensor.scalar(2))};
        }
    }

    @Test
    void ownSavedTensorsGoBackOtherSavedTensorsStay() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            TwiceWithSavedTensors twice = new TwiceWithSavedTensors();
            Variable y = twice.apply(new Variable(Tensor.ones(3), true));
            Variable loss = y.sum();
            assertTrue(pool.isLent(twice.own.storage()));
            loss.backward();
            assertFalse(pool.isLent(twice.own.storage()));
            assertTrue(pool.isLent(twice.shared.storage()));
        }
    }

    @Test
    void aDetachedLeafKeepsTheArrayItShares() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope scope = pool.use()) {
            Variable x = new Variable(Tensor.ones(4), true);
            Variable hidden = x.exp();
            Variable constant = hidden.detach();
            hidden.mul(constant).sum().backward();
            assertTrue(pool.isLent(hidden.data().storage()));
            assertArrayEquals(x.data().exp().toFloatArray(), constant.data().toFloatArray());
        }
    }
}
