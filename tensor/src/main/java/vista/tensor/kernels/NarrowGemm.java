package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.runtime.Vectors;

/**
 * {@link GemmFast}'s kernels for products with very few rows or very few columns, where packing into
 * {@value GemmFast#ROWS} x {@value GemmFast#COLUMNS} micro-panels would mostly move and multiply padding.
 * SAN's γ mapping has them: 1x1 convolutions from 4 to 2 channels over 64 x 9 x 784 positions, whose
 * weight gradient is {@code dW = G X^T} with m = 2, n = 4 and a k of half a million.
 * <ul>
 *   <li><b>Few rows</b> ({@link #FEW_ROWS} or fewer, op(B) not transposed: a 1x1 convolution's forward to
 *       few channels, or its input gradient from few): {@code C[i][j..j+L) (+)= sum_p opA[i][p] B[p][j..j+L)},
 *       vectors along the row of B and C, each opA element broadcast straight from A; no packing.</li>
 *   <li><b>Few columns</b> (one vector's worth or fewer, op(B) = B^T and op(A) = A, both stored along the
 *       depth: a weight gradient to few input channels): blocks of {@value #DEPTH_BLOCK} depths of B are
 *       transposed into a scratch ({@link PanelTranspose}), so that {@code B^T[p][0..n)} is one vector,
 *       and {@code C[i][0..n) (+)= sum_p A[i][p] B^T[p][0..n)} runs {@value #ROW_GROUP} rows of C
 *       at a time, each A element broadcast straight from A.</li>
 * </ul>
 * Every element of C is still the single chain of {@link GemmKernels}' contract: started at 0 (or at the
 * old C), then {@code s = fma(opA[i][p], opB[p][j], s)} for p in increasing order; a chain held in a
 * register across a depth block is stored and reloaded exactly. Each lane computes its own element, and
 * lanes past the last column are neither read from C nor stored. So these kernels give exactly the bits
 * of the packed kernel and of {@link GemmReference}, on any vector width.
 */
final class NarrowGemm {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    /** Most rows of C for which the few-rows kernel is used. */
    static final int FEW_ROWS = 4;
    /**
     * Most columns of C for which the few-columns kernel is used: one vector, 16 floats here. (Two vectors
     * per row measured slower than the packed kernel at 18 columns, 11.5 against 6.4 ms for
     * {@code NarrowConvolutionBenchmark}'s {@code 18-16-49-49}.)
     */
    static final int FEW_COLUMNS = LANES;
    /** Depths of B transposed at once by the few-columns kernel: 256 x 16 floats, 16 KiB, here. */
    static final int DEPTH_BLOCK = 256;
    /** Rows of C whose accumulators the few-columns kernel holds at once. */
    static final int ROW_GROUP = 8;

    private NarrowGemm() {
    }

    /** Whether {@link #fewRows} computes a product with these transposes and m rows. */
    static boolean suitsFewRows(boolean transB, int m) {
        return !transB && m <= FEW_ROWS;
    }

    /** Whether {@link #fewColumns} computes a product with these transposes and n columns. */
    static boolean suitsFewColumns(boolean transA, boolean transB, int n) {
        return !transA && transB && n <= FEW_COLUMNS;
    }

    /**
     * {@code C (+)= op(A) B} for {@code rows x columns} of C: opA element {@code (i, p)} at
     * {@code a[aOffset + p lda + i]} with {@code transA}, else {@code a[aOffset + i lda + p]}; B row-major.
     * Per row of C, four vectors of columns at a time (four independent chains); where the last ones would read
     * past the end of B's array, one masked vector at a time.
     */
    static void fewRows(boolean transA, int rows, int columns, int k, float[] a, int aOffset, int lda,
            float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate) {
        int depthStep = transA ? lda : 1;
        for (int i = 0; i < rows; i++) {
            int aRow = aOffset + (transA ? i : i * lda);
            int cRow = cOffset + i * ldc;
            for (int j = 0; j < columns; j += 4 * LANES) {
                boolean whole = j + 4 * LANES <= columns;
                boolean readable = bOffset + (long) (k - 1) * ldb + j + 4 * LANES <= b.length;
                if (whole || readable) {
                    fourVectors(k, a, aRow, depthStep, b, bOffset + j, ldb, c, cRow + j, accumulate, j, columns);
                } else {
                    for (int jj = j; jj < columns; jj += LANES) {
                        maskedVector(k, a, aRow, depthStep, b, bOffset + jj, ldb, c, cRow + jj, accumulate,
                                FLOAT.indexInRange(jj, columns));
                    }
                }
            }
        }
    }

    /**
     * One row's four vectors of C from {@code c[cAt]}, columns {@code j .. j+4L-1} of {@code columns}: the
     * chains over all k depths, in registers. B is read whole (the caller checked that its array holds
     * those elements), and lanes past the last column are neither read from C nor stored.
     */
    private static void fourVectors(int k, float[] a, int aAt, int depthStep, float[] b, int bAt, int ldb,
            float[] c, int cAt, boolean accumulate, int j, int columns) {
        VectorMask<Float> m0 = FLOAT.indexInRange(j, columns);
        VectorMask<Float> m1 = FLOAT.indexInRange(j + LANES, columns);
        VectorMask<Float> m2 = FLOAT.indexInRange(j + 2 * LANES, columns);
        VectorMask<Float> m3 = FLOAT.indexInRange(j + 3 * LANES, columns);
        FloatVector zero = FloatVector.zero(FLOAT);
        FloatVector s0 = accumulate ? FloatVector.fromArray(FLOAT, c, cAt, m0) : zero;
        FloatVector s1 = accumulate ? FloatVector.fromArray(FLOAT, c, cAt + LANES, m1) : zero;
        FloatVector s2 = accumulate ? FloatVector.fromArray(FLOAT, c, cAt + 2 * LANES, m2) : zero;
        FloatVector s3 = accumulate ? FloatVector.fromArray(FLOAT, c, cAt + 3 * LANES, m3) : zero;
        for (int p = 0; p < k; p++, aAt += depthStep, bAt += ldb) {
            FloatVector w = FloatVector.broadcast(FLOAT, a[aAt]);
            s0 = w.fma(FloatVector.fromArray(FLOAT, b, bAt), s0);
            s1 = w.fma(FloatVector.fromArray(FLOAT, b, bAt + LANES), s1);
            s2 = w.fma(FloatVector.fromArray(FLOAT, b, bAt + 2 * LANES), s2);
            s3 = w.fma(FloatVector.fromArray(FLOAT, b, bAt + 3 * LANES), s3);
        }
        s0.intoArray(c, cAt, m0);
        s1.intoArray(c, cAt + LANES, m1);
        s2.intoArray(c, cAt + 2 * LANES, m2);
        s3.intoArray(c, cAt + 3 * LANES, m3);
    }

    /** One vector of C with every access masked to the valid columns: the end of B's array. */
    private static void maskedVector(int k, float[] a, int aAt, int depthStep, float[] b, int bAt, int ldb,
            float[] c, int cAt, boolean accumulate, VectorMask<Float> valid) {
        FloatVector s = accumulate ? FloatVector.fromArray(FLOAT, c, cAt, valid) : FloatVector.zero(FLOAT);
        for (int p = 0; p < k; p++, aAt += depthStep, bAt += ldb) {
            s = FloatVector.broadcast(FLOAT, a[aAt]).fma(FloatVector.fromArray(FLOAT, b, bAt, valid), s);
        }
        s.intoArray(c, cAt, valid);
    }

    /**
     * {@code C (+)= A B^T} for {@code rows x columns} of C ({@code columns <=} {@link #FEW_COLUMNS}): A row i at
     * {@code a[aOffset + i lda ..]}, B row j (column j of op(B)) at {@code b[bOffset + j ldb ..]}, both along
     * the depth. Per block of depths: B's rows transposed into {@code transposed} (the calling thread's own,
     * at least {@value #DEPTH_BLOCK} vectors; one vector per depth), then every group of eight rows of C runs
     * its chains through the block, so that eight independent chains hide the latency of the fused
     * multiply-add. A last, smaller group repeats its last row in the spare
     * chains and stores only its own rows.
     */
    static void fewColumns(int rows, int columns, int k, float[] a, int aOffset, int lda,
            float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate, float[] transposed) {
        VectorMask<Float> valid = FLOAT.indexInRange(0, columns);
        for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
            int depth = Math.min(DEPTH_BLOCK, k - p0);
            PanelTranspose.pack(b, bOffset + p0, ldb, columns, depth, LANES, transposed, 0);
            boolean load = accumulate || p0 > 0;
            for (int i0 = 0; i0 < rows; i0 += ROW_GROUP) {
                oneVectorRows(Math.min(ROW_GROUP, rows - i0), depth, a, aOffset + i0 * lda + p0, lda, transposed,
                        c, cOffset + i0 * ldc, ldc, load, valid);
            }
        }
    }

    /** Up to {@value #ROW_GROUP} rows of C, one vector each, through one transposed depth block. */
    private static void oneVectorRows(int group, int depth, float[] a, int aAt, int lda, float[] bt, float[] c,
            int cAt, int ldc, boolean load, VectorMask<Float> valid) {
        int r1 = Math.min(1, group - 1) * lda;
        int r2 = Math.min(2, group - 1) * lda;
        int r3 = Math.min(3, group - 1) * lda;
        int r4 = Math.min(4, group - 1) * lda;
        int r5 = Math.min(5, group - 1) * lda;
        int r6 = Math.min(6, group - 1) * lda;
        int r7 = Math.min(7, group - 1) * lda;
        FloatVector s0 = start(c, cAt, ldc, 0, group, load, valid);
        FloatVector s1 = start(c, cAt, ldc, 1, group, load, valid);
        FloatVector s2 = start(c, cAt, ldc, 2, group, load, valid);
        FloatVector s3 = start(c, cAt, ldc, 3, group, load, valid);
        FloatVector s4 = start(c, cAt, ldc, 4, group, load, valid);
        FloatVector s5 = start(c, cAt, ldc, 5, group, load, valid);
        FloatVector s6 = start(c, cAt, ldc, 6, group, load, valid);
        FloatVector s7 = start(c, cAt, ldc, 7, group, load, valid);
        for (int p = 0; p < depth; p++) {
            FloatVector v = FloatVector.fromArray(FLOAT, bt, p * LANES);
            int at = aAt + p;
            s0 = FloatVector.broadcast(FLOAT, a[at]).fma(v, s0);
            s1 = FloatVector.broadcast(FLOAT, a[at + r1]).fma(v, s1);
            s2 = FloatVector.broadcast(FLOAT, a[at + r2]).fma(v, s2);
            s3 = FloatVector.broadcast(FLOAT, a[at + r3]).fma(v, s3);
            s4 = FloatVector.broadcast(FLOAT, a[at + r4]).fma(v, s4);
            s5 = FloatVector.broadcast(FLOAT, a[at + r5]).fma(v, s5);
            s6 = FloatVector.broadcast(FLOAT, a[at + r6]).fma(v, s6);
            s7 = FloatVector.broadcast(FLOAT, a[at + r7]).fma(v, s7);
        }
        store(s0, c, cAt, ldc, 0, group, valid);
        store(s1, c, cAt, ldc, 1, group, valid);
        store(s2, c, cAt, ldc, 2, group, valid);
        store(s3, c, cAt, ldc, 3, group, valid);
        store(s4, c, cAt, ldc, 4, group, valid);
        store(s5, c, cAt, ldc, 5, group, valid);
        store(s6, c, cAt, ldc, 6, group, valid);
        store(s7, c, cAt, ldc, 7, group, valid);
    }

    /** The chain of row {@code r} of a group: C's old value (when loading) or 0; a spare row starts at 0. */
    private static FloatVector start(float[] c, int cAt, int ldc, int r, int group, boolean load,
            VectorMask<Float> valid) {
        return load && r < group ? FloatVector.fromArray(FLOAT, c, cAt + r * ldc, valid) : FloatVector.zero(FLOAT);
    }

    /** Stores row {@code r} of a group unless it is a spare. */
    private static void store(FloatVector s, float[] c, int cAt, int ldc, int r, int group, VectorMask<Float> valid) {
        if (r < group) {
            s.intoArray(c, cAt + r * ldc, valid);
        }
    }
}
