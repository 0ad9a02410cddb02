package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;

class MovementTest {

    private static Tensor counting(int... dims) {
        return Tensor.arange(Shape.of(dims).numel()).reshape(dims);
    }

    @Test
    void storageIndicesWalkAStridedViewInRowMajorOrder() {
        Tensor view = counting(3, 4).transpose(0, 1).slice(0, 1, 3);
        assertArrayEquals(new int[] {1, 5, 9, 2, 6, 10}, Movement.storageIndices(view));
    }

    @Test
    void copyOfStridedViewsMatchesElementwiseReads() {
        Tensor base = counting(3, 4, 5);
        for (Tensor view : new Tensor[] {base.permute(2, 0, 1), base.slice(2, 1, 4), base.transpose(0, 2).slice(1, 1, 3),
                base.slice(0, 1, 2).expand(2, 4, 5), base.permute(1, 2, 0).to(DType.FLOAT64)}) {
            Tensor c = view.contiguous();
            int[] dims = view.dims();
            int i = 0;
            float[] flat = c.toFloatArray();
            for (int a = 0; a < dims[0]; a++) {
                for (int b = 0; b < dims[1]; b++) {
                    for (int d = 0; d < dims[2]; d++) {
                        assertEquals(view.get(a, b, d), flat[i++], "view " + view.shape());
                    }
                }
            }
        }
    }

    @Test
    void concatJoinsAlongAnAxis() {
        Tensor a = counting(2, 2);
        Tensor b = counting(2, 3).add(Tensor.scalar(10));
        assertArrayEquals(new float[] {0, 1, 10, 11, 12, 2, 3, 13, 14, 15}, Tensor.concat(1, a, b).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, Tensor.concat(0, a, a).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, a, b));
        assertEquals("concat along axis 0: shapes [2, 2] and [2, 3] differ on axis 1", e.getMessage());
    }

    @Test
    void stackAddsANewAxis() {
        Tensor a = counting(2);
        Tensor s = Tensor.stack(1, a, a);
        assertEquals(Shape.of(2, 2), s.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1}, s.toFloatArray());
        assertEquals(Shape.of(2, 2), Tensor.stack(-1, a, a).shape());
    }

    @Test
    void padSurroundsWithAConstant() {
        Tensor p = counting(2, 2).pad(new int[] {1, 0}, new int[] {0, 2}, -1);
        assertEquals(Shape.of(3, 4), p.shape());
        assertArrayEquals(new float[] {-1, -1, -1, -1, 0, 1, -1, -1, 2, 3, -1, -1}, p.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> counting(2, 2).pad(new int[] {1}, new int[] {1}, 0));
    }
}
