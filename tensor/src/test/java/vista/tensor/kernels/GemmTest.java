package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import vista.tensor.Rng;

/**
 * GEMM: within the rounding bound of exact sums on awkward shapes, transposed operands, hand examples, C's
 * old contents, zero depth, errors. Fast against reference (bit for bit), threads and vector widths:
 * {@link OpCatalogueTest} ({@code gemm}).
 */
class GemmTest {
    private static final int[] AWKWARD_SIZES = {1, 3, 7, 17, 33, 65, 130};

    /** A stored matrix: {@code rows x columns} at {@code offset} with leading dimension {@code ld}. */
    private record Stored(float[] data, int offset, int ld, int rows, int columns) {
        /** Random entries, with 5 spare elements in front and {@code extra} spare columns per row. */
        static Stored random(Rng rng, int rows, int columns, int extra) {
            int ld = columns + extra;
            float[] data = new float[5 + rows * ld + 3];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) rng.nextGaussian();
            }
            return new Stored(data, 5, ld, rows, columns);
        }

        float at(int row, int column) {
            return data[offset + row * ld + column];
        }

        Stored copy() {
            return new Stored(data.clone(), offset, ld, rows, columns);
        }

        /** The same matrix transposed, stored densely. */
        Stored transposed() {
            float[] t = new float[rows * columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    t[c * rows + r] = at(r, c);
                }
            }
            return new Stored(t, 0, rows, columns, rows);
        }
    }

    /** One GEMM problem: op(A) is m x k, op(B) is k x n, C is m x n. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, Stored a, Stored b, Stored c) {
        static Problem random(Rng rng, boolean transA, boolean transB, int m, int n, int k) {
            Stored a = transA ? Stored.random(rng, k, m, 3) : Stored.random(rng, m, k, 3);
            Stored b = transB ? Stored.random(rng, n, k, 2) : Stored.random(rng, k, n, 2);
            return new Problem(transA, transB, m, n, k, a, b, Stored.random(rng, m, n, 4));
        }

        float opA(int i, int p) {
            return transA ? a.at(p, i) : a.at(i, p);
        }

        float opB(int p, int j) {
            return transB ? b.at(j, p) : b.at(p, j);
        }

        /** C after the fast kernel (on a copy of C). */
        Stored fast(boolean accumulate) {
            Stored out = c.copy();
            GemmKernels.fast(transA, transB, m, n, k, a.data, a.offset, a.ld, b.data, b.offset, b.ld,
                    out.data, out.offset, out.ld, accumulate);
            return out;
        }

        /** C after the reference kernel (on a copy of C). */
        Stored reference(boolean accumulate) {
            Stored out = c.copy();
            GemmKernels.reference(transA, transB, m, n, k, a.data, a.offset, a.ld, b.data, b.offset, b.ld,
                    out.data, out.offset, out.ld, accumulate);
            return out;
        }
    }

    @Test
    void fastIsWithinTheRoundingBoundOfExactSumsOnAwkwardShapes() {
        Rng rng = new Rng(1);
        int checked = 0;
        for (int m : AWKWARD_SIZES) {
            for (int n : AWKWARD_SIZES) {
                for (int k : AWKWARD_SIZES) {
                    for (int transposes = 0; transposes < 4; transposes++) {
                        boolean accumulate = (checked & 1) != 0;
                        Problem problem = Problem.random(rng, (transposes & 1) != 0, (transposes & 2) != 0, m, n, k);
                        assertCloseToExactSum(problem, problem.fast(accumulate), accumulate);
                        checked++;
                    }
                }
            }
        }
        for (int[] deep : new int[][] {{5, 40, 520}, {70, 33, 300}}) {
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                boolean transB = (transposes & 2) != 0;
                boolean accumulate = transA != transB;
                Problem problem = Problem.random(rng, transA, transB, deep[0], deep[1], deep[2]);
                assertCloseToExactSum(problem, problem.fast(accumulate), accumulate);
            }
        }
        assertEquals(4 * 343, checked);
    }

    /** The catalogue's thread problem is cut into many tiles and spans several depth blocks. */
    @Test
    void theThreadProblemHasManyTilesAndDepthBlocks() {
        GemmEntries.Gemm g = GemmEntries.GEMM_WITH_MANY_TILES;
        assertTrue(GemmFast.TileGrid.of(g.m(), g.n(), g.k()).count() >= 8, "the shape should be cut into many tiles");
        assertTrue(g.k() > GemmFast.DEPTH, "the depth should span several depth blocks");
    }

    @Test
    void transposedOperandsGiveSameResult() {
        Rng rng = new Rng(4);
        int m = 37;
        int n = 45;
        int k = 300;
        Problem plain = Problem.random(rng, false, false, m, n, k);
        Stored c = plain.fast(false);
        Stored aT = plain.a.transposed();
        Stored bT = plain.b.transposed();
        Problem[] stored = {
            new Problem(true, false, m, n, k, aT, plain.b, plain.c),
            new Problem(false, true, m, n, k, plain.a, bT, plain.c),
            new Problem(true, true, m, n, k, aT, bT, plain.c),
        };
        for (Problem p : stored) {
            assertArrayEquals(c.data, p.fast(false).data, "transA " + p.transA + ", transB " + p.transB);
        }
    }

    @Test
    void multipliesASmallExampleAsWrittenByHand() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] c = {1, 1, 1, 1};
        GemmKernels.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        GemmKernels.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {116, 128, 278, 308}, c);
    }

    @Test
    void doubleReferenceMatchesAHandComputation() {
        double[] a = {0.1, 0.2, 0.3, 0.4};
        double[] b = {0.5, 0.6, 0.7, 0.8};
        double[] c = new double[4];
        GemmKernels.multiply(false, true, 2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false);
        double[] expected = {
            Math.fma(0.2, 0.6, 0.1 * 0.5), Math.fma(0.2, 0.8, 0.1 * 0.7),
            Math.fma(0.4, 0.6, 0.3 * 0.5), Math.fma(0.4, 0.8, 0.3 * 0.7),
        };
        assertArrayEquals(expected, c);
    }

    @Test
    void ignoresOldContentsOfCWhenNotAccumulating() {
        Problem problem = Problem.random(new Rng(5), false, false, 9, 40, 5);
        Arrays.fill(problem.c.data, Float.NaN);
        Stored fast = problem.fast(false);
        Stored reference = problem.reference(false);
        for (int i = 0; i < problem.m; i++) {
            for (int j = 0; j < problem.n; j++) {
                assertTrue(Float.isFinite(fast.at(i, j)), "fast C[" + i + "][" + j + "]");
                assertTrue(Float.isFinite(reference.at(i, j)), "reference C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        Problem problem = Problem.random(new Rng(6), false, false, 3, 20, 0);
        Stored cleared = problem.fast(false);
        Stored kept = problem.fast(true);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 20; j++) {
                assertEquals(0f, cleared.at(i, j));
                assertEquals(problem.c.at(i, j), kept.at(i, j));
            }
        }
        assertArrayEquals(problem.reference(false).data, cleared.data);
    }

    @Test
    void rejectsArraysTooShortForTheShape() {
        float[] a = new float[6];
        float[] b = new float[5];
        float[] c = new float[4];
        var e = assertThrows(IllegalArgumentException.class,
                () -> GemmKernels.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false));
        assertEquals("gemm: B (stored 3 x 2) at offset 0 with leading dimension 2 reaches element 5, "
                + "but the array has only 5 elements", e.getMessage());
    }

    @Test
    void rejectsLeadingDimensionSmallerThanRowWidth() {
        float[] a = new float[12];
        var e = assertThrows(IllegalArgumentException.class,
                () -> GemmKernels.fast(true, false, 4, 2, 3, a, 0, 3, a, 0, 2, a, 0, 2, false));
        assertEquals("gemm: A (stored 3 x 4, transposed) has leading dimension 3, smaller than its row width 4",
                e.getMessage());
    }

    /**
     * Checks {@code |C - exact| <= (k + 2) * 2^-24 * (sum_p |opA[i][p] opB[p][j]| + |C0|)} element by
     * element, where {@code exact} is the sum in double precision: the worst-case bound for k + 1 rounded
     * float additions. Also checks that the kernel wrote nothing outside the m x n block of C.
     */
    private static void assertCloseToExactSum(Problem problem, Stored result, boolean accumulate) {
        Stored c = problem.c;
        for (int i = 0; i < problem.m; i++) {
            for (int j = 0; j < problem.n; j++) {
                double exact = accumulate ? c.at(i, j) : 0;
                double magnitude = accumulate ? Math.abs(c.at(i, j)) : 0;
                for (int p = 0; p < problem.k; p++) {
                    double term = (double) problem.opA(i, p) * problem.opB(p, j);
                    exact += term;
                    magnitude += Math.abs(term);
                }
                double tolerance = (problem.k + 2) * Math.ulp(1f) / 2 * magnitude;
                assertEquals(exact, result.at(i, j), tolerance, "C[" + i + "][" + j + "] for m, n, k = "
                        + problem.m + ", " + problem.n + ", " + problem.k + ", transA " + problem.transA
                        + ", transB " + problem.transB + ", accumulate " + accumulate);
            }
        }
        float[] outside = result.data.clone();
        float[] before = c.data.clone();
        for (int i = 0; i < problem.m; i++) {
            for (int j = 0; j < problem.n; j++) {
                outside[c.offset + i * c.ld + j] = 0;
                before[c.offset + i * c.ld + j] = 0;
            }
        }
        assertArrayEquals(before, outside, "elements of C outside the m x n block changed");
    }
}
