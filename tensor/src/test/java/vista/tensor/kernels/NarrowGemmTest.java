package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vista.tensor.runtime.Parallel;

/**
 * {@link NarrowGemm} through {@link GemmKernels#fast}: products with few rows (op(B) plain, op(A) either way)
 * and with few columns (A plain, B transposed) give exactly the bits of {@link GemmKernels#reference}, for
 * random sizes around the kernels' edges (depth blocks, row groups, vectors of columns, a B that ends where
 * the product does), leading dimensions wider than the matrices, offsets, accumulation onto random C and
 * overwriting of a C full of NaN, on one thread and on two.
 */
class NarrowGemmTest {

    @Test
    void fewRowsHaveTheReferenceBits() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + random.nextInt(NarrowGemm.FEW_ROWS);
            int n = 1 + random.nextInt(trial % 4 == 0 ? 300 : 80);
            int k = 1 + random.nextInt(trial % 5 == 0 ? 700 : 40);
            check(random.nextBoolean(), false, m, n, k, random, trial % 3 == 0);
        }
    }

    @Test
    void fewColumnsHaveTheReferenceBits() {
        Random random = new Random(12);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + random.nextInt(trial % 4 == 0 ? 40 : 12);
            int n = 1 + random.nextInt(NarrowGemm.FEW_COLUMNS);
            int k = 1 + random.nextInt(trial % 5 == 0 ? 900 : 60);
            check(false, true, m, n, k, random, trial % 3 == 0);
        }
    }

    @Test
    void largeNarrowProductsSplitIntoTilesKeepTheBits() {
        Random random = new Random(13);
        check(false, false, 3, 9000, 700, random, false);
        check(true, false, 4, 7000, 650, random, true);
        check(false, true, 6000, 12, 300, random, true);
    }

    @Test
    void theNarrowKernelsAreTheOnesChosen() {
        assertTrue(NarrowGemm.suitsFewRows(false, NarrowGemm.FEW_ROWS));
        assertTrue(!NarrowGemm.suitsFewRows(true, 1) && !NarrowGemm.suitsFewRows(false, NarrowGemm.FEW_ROWS + 1));
        assertTrue(NarrowGemm.suitsFewColumns(false, true, NarrowGemm.FEW_COLUMNS));
        assertTrue(!NarrowGemm.suitsFewColumns(true, true, 4) && !NarrowGemm.suitsFewColumns(false, false, 4)
                && !NarrowGemm.suitsFewColumns(false, true, NarrowGemm.FEW_COLUMNS + 1));
    }

    /**
     * One product of op(A) {@code m x k} and op(B) {@code k x n}, stored with random padding around and
     * between rows; B's array ends with its last stored element when {@code tightB}.
     */
    private static void check(boolean transA, boolean transB, int m, int n, int k, Random random, boolean tightB) {
        int lda = (transA ? m : k) + random.nextInt(3);
        int ldb = (transB ? k : n) + (tightB ? 0 : random.nextInt(3));
        int ldc = n + random.nextInt(3);
        int aOffset = random.nextInt(5);
        int bOffset = random.nextInt(5);
        int cOffset = random.nextInt(5);
        float[] a = values(random, aOffset + (transA ? k : m) * lda);
        float[] b = values(random, bOffset + (transB ? n : k) * ldb);
        boolean accumulate = random.nextBoolean();
        float[] c0 = accumulate ? values(random, cOffset + m * ldc) : nans(cOffset + m * ldc);
        float[] expected = c0.clone();
        GemmKernels.reference(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, expected, cOffset, ldc,
                accumulate);
        for (int threads : new int[] {1, 2}) {
            float[] actual = c0.clone();
            Parallel.withThreads(threads, () -> {
                GemmKernels.fast(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, actual, cOffset, ldc,
                        accumulate);
                return null;
            });
            assertArrayEquals(bits(expected), bits(actual), () -> "transA " + transA + ", transB " + transB + ", "
                    + m + " x " + n + " x " + k + ", accumulate " + accumulate + ", " + threads + " thread(s)");
        }
    }

    private static float[] values(Random random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] nans(int length) {
        float[] v = new float[length];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
