package vista.tensor.kernels;

/**
 * The teaching version of {@link GemmKernels}: {@code C[i][j] (+)= sum_p opA[i][p] * opB[p][j]} as three loops.
 *
 * <p>Each sum is accumulated with {@link Math#fma} in the order {@code p = 0 .. k-1}, starting from 0
 * (or from the old {@code C[i][j]} when accumulating). That is the order {@link GemmFast} keeps, so the
 * two return the same bits; arguments are checked by {@link GemmKernels}.
 */
final class GemmReference {
    private GemmReference() {
    }

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? c[cOffset + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    float bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum = Math.fma(aip, bpj, sum);
                }
                c[cOffset + i * ldc + j] = sum;
            }
        }
    }

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
            double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
            double[] c, int cOffset, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOffset + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    double bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum = Math.fma(aip, bpj, sum);
                }
                c[cOffset + i * ldc + j] = sum;
            }
        }
    }
}
