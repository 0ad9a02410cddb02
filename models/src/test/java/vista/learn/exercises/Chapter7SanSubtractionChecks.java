package vista.learn.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SubtractionReference;

/**
 * The checks of the SAN-subtraction exercise: a hand-worked 3 x 3 image, and Vista's scalar reference kernel
 * on random inputs with 3 x 3 and 5 x 5 footprints.
 */
abstract class Chapter7SanSubtractionChecks {
    abstract SanSubtraction san();

    @Test
    void handWorkedReflection() {
        // the image   1 2 3     neighbour (-1, -1) of pixel (0, 0) reflects to (1, 1), which holds 5
        //             4 5 6     neighbour (0, 3) of pixel (0, 2) reflects to (0, 1), which holds 2
        //             7 8 9
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3).to(DType.FLOAT64);
        Tensor r = san().relation(x, x, 3);
        assertEquals(Shape.of(1, 1, 9, 9), r.shape(), "(N, C, k k, H W)");
        assertEquals(1 - 5, r.get(0, 0, 0, 0), 1e-12, "pixel (0, 0), neighbour (a, b) = (0, 0)");
        assertEquals(3 - 2, r.get(0, 0, 5, 2), 1e-12, "pixel (0, 2), neighbour (a, b) = (1, 2)");
        for (int o = 0; o < 9; o++) {
            assertEquals(0, r.get(0, 0, 4, o), 1e-12, "the centre neighbour of x - x is 0 at output " + o);
        }
    }

    @Test
    void matchesTheReferenceKernel() {
        Rng rng = new Rng(7);
        for (int k : new int[] {3, 5}) {
            Tensor x1 = Tensor.randn(rng, 2, 3, 5, 6).to(DType.FLOAT64);
            Tensor x2 = Tensor.randn(rng, 2, 3, 5, 6).to(DType.FLOAT64);
            Tensor expected = SubtractionReference.forward(x1, x2, Footprint.of(k));
            Tensor actual = san().relation(x1, x2, k);
            assertEquals(expected.shape(), actual.shape(), "shape for a " + k + "x" + k + " footprint");
            double[] e = expected.toDoubleArray();
            double[] a = actual.toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-12, "element " + i + " for a " + k + "x" + k + " footprint");
            }
        }
    }
}
