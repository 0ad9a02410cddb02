package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** The parameter-free layers: ReLU, Flatten, Identity. */
class LayersTest {

    @Test
    void reluZeroesNegativesAndTheirGradients() {
        Variable x = new Variable(Tensor.fromArray(new float[] {-2, -0.5f, 0.5f, 3}, 4), true);
        Variable y = new ReLU().forward(x);
        assertArrayEquals(new float[] {0, 0, 0.5f, 3}, y.data().toFloatArray());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 1}, x.grad().toFloatArray());
    }

    @Test
    void flattenKeepsTheBatchAxisInRowMajorOrder() {
        Tensor data = Tensor.randn(new Rng(1), 2, 3, 4, 5);
        Variable x = new Variable(data, true);
        Variable y = new Flatten().forward(x);
        assertArrayEquals(new int[] {2, 60}, y.dims());
        assertArrayEquals(data.toFloatArray(), y.data().toFloatArray());
        y.sum().backward();
        assertArrayEquals(new int[] {2, 3, 4, 5}, x.grad().dims());
        assertEquals(1, new Flatten().forward(new Variable(Tensor.zeros(7))).dims()[1], "(N) becomes (N, 1)");
    }

    @Test
    void identityReturnsItsInput() {
        Variable x = new Variable(Tensor.ones(2));
        assertSame(x, new Identity().forward(x));
    }
}
