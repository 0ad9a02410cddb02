package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.GEMM;
import static vista.tensor.kernels.OpCatalogue.MATMUL;

import vista.tensor.Rng;
import vista.tensor.Tensor;

/** The {@link OpCatalogue}'s entries for GEMM and matmul. */
final class GemmEntries {
    private GemmEntries() {
    }

    /**
     * One GEMM {@code C = op(A) op(B) (+ C)}, op(A) m x k and op(B) k x n, on stored matrices with spare
     * elements around them: 5 in front, 3 spare columns per row of A, 2 of B, 4 of C, and 3 behind.
     */
    record Gemm(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        static final int OFFSET = 5;

        int lda() {
            return (transA ? m : k) + 3;
        }

        int ldb() {
            return (transB ? k : n) + 2;
        }

        int ldc() {
            return n + 4;
        }

        /** A, B and C, each stored in a 1-D tensor with its spare elements. */
        Tensor[] random(Rng rng) {
            return new Tensor[] {stored(rng, transA ? k : m, lda()), stored(rng, transB ? n : k, ldb()),
                stored(rng, m, ldc())};
        }

        /** All of C's storage after the fast or the reference kernel (on a copy). */
        Tensor run(boolean fast, Tensor[] x) {
            float[] c = x[2].toFloatArray();
            if (fast) {
                GemmKernels.fast(transA, transB, m, n, k, x[0].floats(), OFFSET, lda(), x[1].floats(), OFFSET, ldb(), c,
                        OFFSET, ldc(), accumulate);
            } else {
                GemmKernels.reference(transA, transB, m, n, k, x[0].floats(), OFFSET, lda(), x[1].floats(), OFFSET,
                        ldb(), c, OFFSET, ldc(), accumulate);
            }
            return Tensor.fromArray(c, c.length);
        }

        private static Tensor stored(Rng rng, int rows, int ld) {
            return Tensor.randn(rng, OFFSET + rows * ld + 3);
        }

        @Override
        public String toString() {
            return "m, n, k = " + m + ", " + n + ", " + k + (transA ? ", A^T" : "") + (transB ? ", B^T" : "")
                    + (accumulate ? ", accumulating" : "");
        }
    }

    /**
     * The thread problem of GEMM: a shape cut into many tiles, with a depth over several depth blocks
     * (GemmTest checks both), B transposed, accumulating.
     */
    static final Gemm GEMM_WITH_MANY_TILES = new Gemm(false, true, 300, 700, 600, true);

    /**
     * GEMM keeps one FMA chain per element in the reference's order, so fast has the reference's bits,
     * for every transpose and with or without accumulating, on shapes with edge blocks and several depth
     * blocks. (GemmTest also checks it against exact sums on 1372 awkward shapes.)
     */
    static OpEntry<Gemm> gemm() {
        OpEntry<Gemm> entry = new OpEntry<Gemm>(GEMM, "C")
                .inputs((g, rng) -> g.random(rng))
                .reference((g, x) -> new Tensor[] {g.run(false, x)})
                .fast((g, x) -> new Tensor[] {g.run(true, x)});
        for (int[] mnk : new int[][] {{1, 1, 1}, {7, 3, 130}, {17, 65, 33}, {130, 33, 7}, {33, 130, 300}}) {
            for (int combination = 0; combination < 8; combination++) {
                Gemm g = new Gemm((combination & 1) != 0, (combination & 2) != 0, mnk[0], mnk[1], mnk[2],
                        (combination & 4) != 0);
                entry.problem(g.toString(), g);
            }
        }
        entry.problem(GEMM_WITH_MANY_TILES.toString(), GEMM_WITH_MANY_TILES)
                .threadProblem(GEMM_WITH_MANY_TILES.toString(), GEMM_WITH_MANY_TILES);
        for (int[] mnk : new int[][] {{7, 3, 130}, {17, 65, 33}, {33, 70, 300}}) {
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                Gemm g = new Gemm(transA, (transposes & 2) != 0, mnk[0], mnk[1], mnk[2], transA);
                entry.widthProblem(g.toString(), g);
            }
        }
        return entry;
    }

    /** A matrix product of operands of the given shapes, each possibly a transposed view (of its last two axes). */
    record Product(int[] a, boolean transposeA, int[] b, boolean transposeB) {
    }

    /**
     * The matrix product through its front ({@link MatMulKernels#matmul}, fast for float32), against the
     * reference GEMM on row-major copies: the same bits.
     */
    static OpEntry<Product> matmul() {
        return new OpEntry<Product>(MATMUL, "product")
                .inputs((p, rng) -> new Tensor[] {operand(rng, p.a(), p.transposeA()),
                    operand(rng, p.b(), p.transposeB())})
                .reference((p, x) -> new Tensor[] {referenceMatmul(x[0], x[1])})
                .fast((p, x) -> new Tensor[] {MatMulKernels.matmul(x[0], x[1])})
                .problem("[70, 130] x [130, 33]", new Product(new int[] {70, 130}, false, new int[] {130, 33}, false))
                .problem("transposed views", new Product(new int[] {40, 33}, true, new int[] {17, 40}, true))
                .threadProblem("a batch of 6", new Product(new int[] {6, 70, 50}, false, new int[] {50, 90}, false))
                .widthProblem("by a transposed weight (Linear)", new Product(new int[] {13, 37}, false,
                        new int[] {10, 37}, true))
                .widthProblem("of a transposed gradient (Linear's dW)", new Product(new int[] {13, 10}, true,
                        new int[] {13, 37}, false));
    }

    private static Tensor operand(Rng rng, int[] dims, boolean transposed) {
        Tensor t = Tensor.randn(rng, dims);
        return transposed ? t.transpose(-2, -1) : t;
    }

    /** {@code a x b} for 2-D operands, by the reference GEMM on row-major copies. */
    static Tensor referenceMatmul(Tensor a, Tensor b) {
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        float[] c = new float[m * n];
        GemmKernels.reference(false, false, m, n, k, a.toFloatArray(), 0, k, b.toFloatArray(), 0, n, c, 0, n, false);
        return Tensor.fromArray(c, m, n);
    }
}
