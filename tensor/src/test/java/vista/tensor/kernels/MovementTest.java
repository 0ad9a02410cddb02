package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

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

    /**
     * Random views (permutations, slices, axes of length 1, broadcasts, scalars) of random shapes copied into a
     * contiguous tensor and into a slice of a larger one, against the element-by-element copy through
     * {@link Movement#storageIndices}; some are large enough to be cut into several tiles whose first rows
     * start in the middle of an axis, on one thread and on two.
     */
    @Test
    void rowCopiesOfRandomViewsMatchTheElementByElementCopy() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = random.nextInt(6);
            int[] dims = new int[rank];
            for (int a = 0; a < rank; a++) {
                dims[a] = 1 + random.nextInt(trial % 10 == 0 ? 40 : 6);
            }
            while (Shape.of(dims).numel() > 300_000) {
                dims[random.nextInt(rank)] = (dims[random.nextInt(rank)] + 1) / 2;
            }
            Tensor view = counting(dims);
            for (int a = 0; a < rank; a++) {
                if (dims[a] > 2 && random.nextBoolean()) {
                    int start = random.nextInt(dims[a] / 2);
                    view = view.slice(a, start, start + 1 + random.nextInt(dims[a] - start));
                }
            }
            if (random.nextBoolean()) {
                int[] order = shuffled(rank, random);
                view = view.permute(order);
            }
            if (random.nextInt(4) == 0) {
                int a = random.nextInt(view.rank() + 1);
                int[] wide = view.unsqueeze(a).dims();
                wide[a] = 1 + random.nextInt(3);
                view = view.unsqueeze(a).expand(wide);
            }
            float[] expected = new float[view.numel()];
            int[] at = Movement.storageIndices(view);
            float[] storage = view.storage() instanceof Storage.Floats f ? f.array() : null;
            for (int i = 0; i < at.length; i++) {
                expected[i] = storage[at[i]];
            }
            Tensor source = view;
            for (int threads : new int[] {1, 2}) {
                Tensor copied = Parallel.withThreads(threads, () -> Movement.copy(source, DType.FLOAT32));
                assertArrayEquals(expected, copied.toFloatArray(), "view " + view.shape() + " on " + threads);
            }
            int[] larger = view.dims();
            if (larger.length == 0) {
                continue;
            }
            int axis = random.nextInt(larger.length);
            larger[axis] += 2;
            Tensor target = Tensor.zeros(DType.FLOAT32, Shape.of(larger));
            Tensor slot = target.slice(axis, 1, 1 + view.dim(axis));
            Movement.copyInto(view, slot);
            assertArrayEquals(expected, slot.contiguous().toFloatArray(), "slice of " + target.shape());
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
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
