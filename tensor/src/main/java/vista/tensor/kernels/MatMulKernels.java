package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;
import vista.tensor.runtime.Tiles;

/**
 * Matrix product with NumPy's {@code matmul} rules, on top of {@link GemmKernels}.
 *
 * <ul>
 *   <li>2-D x 2-D: {@code (m, k) x (k, n) -> (m, n)}, {@code out[i][j] = sum_p a[i][p] * b[p][j]}.</li>
 *   <li>A 1-D left operand {@code (k)} is a row vector {@code (1, k)} and a 1-D right operand a column
 *       vector {@code (k, 1)}; the added axis is removed from the result, so vector x vector is a
 *       scalar.</li>
 *   <li>Higher ranks are batches of matrices: the last two axes are the matrix, the leading (batch) axes
 *       broadcast against each other (aligned from the right, sizes equal or 1), e.g.
 *       {@code (2, 1, m, k) x (3, k, n) -> (2, 3, m, n)}.</li>
 * </ul>
 *
 * <p>The result is float64 if either operand is (computed by the float64 reference GEMM), else float32
 * ({@link GemmKernels#multiply}, fast unless {@link Kernels#FAST} is false). Operands may be any views: batch
 * axes are addressed through their strides (broadcast ones with stride 0, never copied), and a matrix
 * that is row-major or a plain transpose of a row-major matrix (as {@code x.transpose(-1, -2)} gives) is
 * passed to GEMM as it is, with the transpose flag set; other layouts are copied with
 * {@link Tensor#contiguous()} first. Batch entries run in parallel over {@link Tiles} that group
 * consecutive entries by work, so the bits of the result do not depend on the thread count.
 */
public final class MatMulKernels {
    /** Multiply-adds a batch tile should hold at least, so that tiny matrices are scheduled in groups. */
    private static final long BATCH_TILE_WORK = 1 << 18;

    private MatMulKernels() {
    }

    /**
     * {@code a @ b} with NumPy's {@code matmul} rules (see the class comment).
     *
     * @throws IllegalArgumentException naming both shapes if an operand is a scalar, the inner dimensions
     *     differ, or the batch axes do not broadcast
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got "
                    + a.shape() + " x " + b.shape());
        }
        Tensor left = a.rank() == 1 ? a.unsqueeze(0) : a;
        Tensor right = b.rank() == 1 ? b.unsqueeze(1) : b;
        int m = left.dim(-2);
        int k = left.dim(-1);
        int n = right.dim(-1);
        if (right.dim(-2) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " x " + b.shape()
                    + " (" + k + " != " + right.dim(-2) + ")");
        }
        int[] batch = broadcastBatch(a, b, left, right);
        DType dtype = a.dtype() == DType.FLOAT64 || b.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor out = Tensor.zeros(dtype, Shape.of(resultDims(batch, m, n, a.rank() == 1, b.rank() == 1)));
        Operand x = Operand.of(left.to(dtype), batch);
        Operand y = Operand.of(right.to(dtype), batch);
        multiplyBatches(x, y, out, batch, m, n, k);
        return out;
    }

    /** The broadcast of the two operands' batch axes (all axes but the last two). */
    private static int[] broadcastBatch(Tensor a, Tensor b, Tensor left, Tensor right) {
        int leftRank = left.rank() - 2;
        int rightRank = right.rank() - 2;
        int rank = Math.max(leftRank, rightRank);
        int[] batch = new int[rank];
        for (int d = 0; d < rank; d++) {
            int l = d < rank - leftRank ? 1 : left.dim(d - (rank - leftRank));
            int r = d < rank - rightRank ? 1 : right.dim(d - (rank - rightRank));
            if (l != r && l != 1 && r != 1) {
                throw new IllegalArgumentException("matmul: batch dimensions do not broadcast: " + a.shape() + " x "
                        + b.shape() + " (" + l + " vs " + r + " on batch axis " + d + ")");
            }
            batch[d] = l == 1 ? r : l;
        }
        return batch;
    }

    private static int[] resultDims(int[] batch, int m, int n, boolean leftIsVector, boolean rightIsVector) {
        int[] dims = Arrays.copyOf(batch, batch.length + 2);
        int rank = batch.length;
        if (!leftIsVector) {
            dims[rank++] = m;
        }
        if (!rightIsVector) {
            dims[rank++] = n;
        }
        return Arrays.copyOf(dims, rank);
    }

    /** Runs one GEMM per batch entry into the contiguous {@code out}, entries grouped into tiles by work. */
    private static void multiplyBatches(Operand x, Operand y, Tensor out, int[] batch, int m, int n, int k) {
        int entries = 1;
        for (int d : batch) {
            entries *= d;
        }
        long work = Math.max(1L, (long) m * n * k);
        int perTile = (int) Math.max(1L, Math.min(entries, BATCH_TILE_WORK / work));
        int totalEntries = entries;
        Tiles.forEach(Tiles.count(entries, perTile), t -> {
            for (int e = t * perTile; e < Math.min(totalEntries, (t + 1) * perTile); e++) {
                multiplyEntry(x, y, out, batchIndex(e, batch), e * m * n, m, n, k);
            }
        });
    }

    private static void multiplyEntry(Operand x, Operand y, Tensor out, int[] index, int outOffset,
            int m, int n, int k) {
        int xOffset = x.offset(index);
        int yOffset = y.offset(index);
        if (out.storage() instanceof Storage.Doubles c) {
            GemmKernels.multiply(x.transposed(), y.transposed(), m, n, k, doubles(x.tensor()), xOffset, x.ld(),
                    doubles(y.tensor()), yOffset, y.ld(), c.array(), outOffset, n, false);
        } else {
            GemmKernels.multiply(x.transposed(), y.transposed(), m, n, k, x.tensor().floats(), xOffset, x.ld(),
                    y.tensor().floats(), yOffset, y.ld(), out.floats(), outOffset, n, false);
        }
    }

    private static double[] doubles(Tensor t) {
        return ((Storage.Doubles) t.storage()).array();
    }

    /** The row-major multi-index of batch entry {@code e}. */
    private static int[] batchIndex(int e, int[] batch) {
        int[] index = new int[batch.length];
        for (int d = batch.length - 1; d >= 0; d--) {
            index[d] = e % batch[d];
            e /= batch[d];
        }
        return index;
    }

    /**
     * One operand as GEMM sees it: for each batch entry a matrix at {@link #offset} in the storage of
     * {@code tensor}, stored row-major with leading dimension {@code ld}, or as the transpose of such a
     * matrix. {@code batchStrides} has one stride per axis of the broadcast batch, 0 where this operand is
     * broadcast along it.
     */
    private record Operand(Tensor tensor, int[] batchStrides, boolean transposed, int ld) {

        static Operand of(Tensor t, int[] batch) {
            int rows = t.dim(-2);
            int columns = t.dim(-1);
            int rowStride = t.stride(-2);
            int columnStride = t.stride(-1);
            if ((columns == 1 || columnStride == 1) && (rows == 1 || rowStride >= columns)) {
                return new Operand(t, batchStrides(t, batch), false, rows == 1 ? columns : rowStride);
            }
            if ((rows == 1 || rowStride == 1) && (columns == 1 || columnStride >= rows)) {
                return new Operand(t, batchStrides(t, batch), true, columns == 1 ? rows : columnStride);
            }
            return of(t.contiguous(), batch);
        }

        private static int[] batchStrides(Tensor t, int[] batch) {
            int own = t.rank() - 2;
            int[] strides = new int[batch.length];
            for (int d = batch.length - own; d < batch.length; d++) {
                int axis = d - (batch.length - own);
                strides[d] = t.dim(axis) == 1 ? 0 : t.stride(axis);
            }
            return strides;
        }

        int offset(int[] index) {
            int offset = tensor.offset();
            for (int d = 0; d < index.length; d++) {
                offset += index[d] * batchStrides[d];
            }
            return offset;
        }
    }
}
