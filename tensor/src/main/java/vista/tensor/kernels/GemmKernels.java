package vista.tensor.kernels;

import vista.tensor.runtime.Kernels;

/**
 * General matrix multiply on row-major arrays: {@code C = op(A) op(B)}, or {@code C += op(A) op(B)}.
 *
 * <pre>
 *   C[i][j]  (+)=  sum_{p = 0 .. k-1}  opA[i][p] * opB[p][j]        0 <= i < m,  0 <= j < n
 * </pre>
 *
 * {@code opA} is the m x k matrix A stored row-major at {@code a[aOffset + i * lda + p]}, or, with
 * {@code transA}, the transpose of a stored k x m matrix: {@code opA[i][p] = a[aOffset + p * lda + i]}.
 * Likewise {@code opB} is k x n, stored as B ({@code b[bOffset + p * ldb + j]}) or, with {@code transB},
 * as its n x k transpose ({@code b[bOffset + j * ldb + p]}). C is m x n at {@code c[cOffset + i * ldc + j]}.
 * A leading dimension ({@code lda}, {@code ldb}, {@code ldc}) is the distance between stored rows and
 * may exceed the row width, so a matrix can be a block of a larger one. With {@code accumulate} false
 * the old contents of C are ignored (never read, so even NaN there does not leak into the result).
 *
 * <p>Convolution uses all four transpose combinations: forward {@code Y = W * cols}, and backward
 * {@code dW = dY * cols^T} and {@code dCols = W^T * dY}; the transposes cost nothing extra because both
 * implementations read the stored matrices through {@code op} instead of transposing them first.
 *
 * <p><b>Determinism contract</b> (float32, both implementations): every element of C is one running
 * sum, started at 0 (or at the old {@code C[i][j]} when accumulating) and updated with one fused
 * multiply-add per term in the order {@code p = 0, 1, ..., k-1}:
 * {@code s = fma(opA[i][p], opB[p][j], s)}. No partial sums are ever added together. So the bits of C do
 * not depend on the thread count, on how the work is tiled, or on the vector width, and
 * {@link #fast} returns exactly the bits of {@link #reference}.
 *
 * <p>{@link #multiply} runs {@link GemmFast} unless {@link Kernels#FAST} is false, then
 * {@link GemmReference}. float64 arrays (gradient checking) always use the reference.
 */
public final class GemmKernels {
    private GemmKernels() {
    }

    /** {@code C (+)= op(A) op(B)} in float32, fast unless {@link Kernels#FAST} is false; see the class comment. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        if (Kernels.FAST) {
            fast(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        } else {
            reference(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        }
    }

    /** {@code C (+)= op(A) op(B)} in float64, always by the reference kernel. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
            double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
            double[] c, int cOffset, int ldc, boolean accumulate) {
        reference(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /** The scalar triple loop ({@link GemmReference}), float32. */
    public static void reference(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, aOffset, lda, a.length, bOffset, ldb, b.length, cOffset, ldc, c.length);
        GemmReference.multiply(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /** The scalar triple loop ({@link GemmReference}), float64. */
    public static void reference(boolean transA, boolean transB, int m, int n, int k,
            double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
            double[] c, int cOffset, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, aOffset, lda, a.length, bOffset, ldb, b.length, cOffset, ldc, c.length);
        GemmReference.multiply(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /** The packed, register-blocked, parallel Vector API kernel ({@link GemmFast}), float32. */
    public static void fast(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        check(transA, transB, m, n, k, aOffset, lda, a.length, bOffset, ldb, b.length, cOffset, ldc, c.length);
        GemmFast.multiply(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /** Checks sizes, leading dimensions and that every addressed element lies inside its array. */
    private static void check(boolean transA, boolean transB, int m, int n, int k,
            int aOffset, int lda, int aLength, int bOffset, int ldb, int bLength,
            int cOffset, int ldc, int cLength) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0, got m = " + m + ", n = " + n + ", k = " + k);
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, aOffset, lda, aLength, transA);
        checkMatrix("B", transB ? n : k, transB ? k : n, bOffset, ldb, bLength, transB);
        checkMatrix("C", m, n, cOffset, ldc, cLength, false);
    }

    private static void checkMatrix(String name, int rows, int cols, int offset, int ld, int length,
            boolean transposed) {
        String stored = name + " (stored " + rows + " x " + cols + (transposed ? ", transposed" : "") + ")";
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: " + stored + " has leading dimension " + ld
                    + ", smaller than its row width " + cols);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("gemm: " + stored + " has negative offset " + offset);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = offset + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IllegalArgumentException("gemm: " + stored + " at offset " + offset + " with leading dimension "
                    + ld + " reaches element " + (end - 1) + ", but the array has only " + length + " elements");
        }
    }
}
