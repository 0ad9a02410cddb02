package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 softmax and log-softmax: {@link FastExp} in vector lanes, float sums in the order of
 * {@link ReductionsFast} (16 logical accumulators per chunk, fixed tree), parallel over rows.
 *
 * <p>The input is viewed as {@code [P, N, Q]} with N the softmax axis (made contiguous first if it is a
 * strided view). When the axis is last ({@code Q == 1}) each row is a contiguous run: one vector pass for
 * the maximum m, one storing {@code e_i = exp(x_i - m)} into the output, {@link ReductionsFast#sumOfRun}
 * over the stored values, and one dividing by the sum (or, for log-softmax, writing
 * {@code (x_i - m) - log(sum)}, the logarithm by {@code StrictMath} once per row). When the axis is not
 * last, vectors run across the Q contiguous columns, one row per lane, stepping through N with stride Q:
 * no transposed copies, and (since each lane sums in the same order) the same bits as transposing,
 * computing along the last axis and transposing back.
 */
final class SoftmaxFast {
    private static final int TILE = 1 << 15;
    private static final int COLUMNS = 256;
    private static final int ACCUMULATORS = LogicalLanes.COUNT;
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private SoftmaxFast() {
    }

    /** {@link SoftmaxKernels#softmax} for float32. */
    static Tensor softmax(Tensor x, int axis) {
        return compute(x, x.shape().axis(axis, "softmax"), false);
    }

    /** {@link SoftmaxKernels#logSoftmax} for float32. */
    static Tensor logSoftmax(Tensor x, int axis) {
        return compute(x, x.shape().axis(axis, "logSoftmax"), true);
    }

    private static Tensor compute(Tensor x, int axis, boolean log) {
        Tensor in = x.contiguous();
        Tensor out = Tensor.unfilled(DType.FLOAT32, x.shape());
        if (x.numel() == 0) {
            return out;
        }
        int n = x.dim(axis);
        int q = 1;
        for (int a = axis + 1; a < x.rank(); a++) {
            q *= x.dim(a);
        }
        int p = x.numel() / (n * q);
        if (q == 1) {
            rows(in.floats(), in.offset(), out.floats(), p, n, log);
        } else {
            columns(in.floats(), in.offset(), out.floats(), p, n, q, log);
        }
        return out;
    }

    /** Softmax along contiguous rows of length n. */
    private static void rows(float[] src, int base, float[] dst, int rows, int n, boolean log) {
        int rowsPerTile = Math.max(1, TILE / n);
        Tiles.forEach(Tiles.count(rows, rowsPerTile), t -> {
            float[] scratch = new float[Math.max(ACCUMULATORS, LANES)];
            for (int row = t * rowsPerTile; row < Math.min(rows, (t + 1) * rowsPerTile); row++) {
                int from = base + row * n;
                int to = row * n;
                float max = rowMax(src, from, n, scratch);
                storeExponentials(src, from, dst, to, n, max);
                float sum = ReductionsFast.sumOfRun(dst, to, n, scratch);
                if (log) {
                    storeLogProbabilities(src, from, dst, to, n, max, (float) StrictMath.log(sum));
                } else {
                    divide(dst, to, n, sum);
                }
            }
        });
    }

    /** {@code dst[to + i] = exp(src[from + i] - max)}. */
    private static void storeExponentials(float[] src, int from, float[] dst, int to, int n, float max) {
        FloatVector m = FloatVector.broadcast(S, max);
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FastExp.exp(FloatVector.fromArray(S, src, from + i).sub(m)).intoArray(dst, to + i);
        }
        if (i < n) {
            VectorMask<Float> inRange = S.indexInRange(i, n);
            FastExp.exp(FloatVector.fromArray(S, src, from + i, inRange).sub(m)).intoArray(dst, to + i, inRange);
        }
    }

    /** {@code dst[to + i] = (src[from + i] - max) - logSum}. */
    private static void storeLogProbabilities(float[] src, int from, float[] dst, int to, int n, float max,
                                              float logSum) {
        FloatVector m = FloatVector.broadcast(S, max);
        FloatVector l = FloatVector.broadcast(S, logSum);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> inRange = S.indexInRange(i, n);
            FloatVector.fromArray(S, src, from + i, inRange).sub(m).sub(l).intoArray(dst, to + i, inRange);
        }
    }

    /** {@code dst[to + i] /= sum}. */
    private static void divide(float[] dst, int to, int n, float sum) {
        FloatVector total = FloatVector.broadcast(S, sum);
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(S, dst, to + i).div(total).intoArray(dst, to + i);
        }
        if (i < n) {
            VectorMask<Float> inRange = S.indexInRange(i, n);
            FloatVector.fromArray(S, dst, to + i, inRange).div(total).intoArray(dst, to + i, inRange);
        }
    }

    /** The largest of {@code src[from .. from + n)}, NaN if any is NaN (max is exact in any order). */
    private static float rowMax(float[] src, int from, int n, float[] scratch) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> inRange = S.indexInRange(i, n);
            acc = acc.blend(acc.max(FloatVector.fromArray(S, src, from + i, inRange)), inRange);
        }
        acc.intoArray(scratch, 0);
        float max = Float.NEGATIVE_INFINITY;
        for (int lane = 0; lane < LANES; lane++) {
            max = Math.max(max, scratch[lane]);
        }
        return max;
    }

    /** Softmax along the middle axis of {@code [P, N, Q]}, vectors across q. */
    private static void columns(float[] src, int base, float[] dst, int blocks, int n, int q, boolean log) {
        int columnBlocks = Tiles.count(q, COLUMNS);
        int items = blocks * columnBlocks;
        int itemsPerTile = Math.max(1, TILE / (n * Math.min(q, COLUMNS)));
        Tiles.forEach(Tiles.count(items, itemsPerTile), t -> {
            float[] scratch = new float[ACCUMULATORS * LANES];
            for (int item = t * itemsPerTile; item < Math.min(items, (t + 1) * itemsPerTile); item++) {
                int p = item / columnBlocks;
                int colEnd = Math.min(q, (item % columnBlocks + 1) * COLUMNS);
                for (int col = (item % columnBlocks) * COLUMNS; col < colEnd; col += LANES) {
                    column(src, base + p * n * q + col, dst, p * n * q + col, n, q, Math.min(LANES, colEnd - col),
                            log, scratch);
                }
            }
        });
    }

    /** One vector of {@code width} columns: element r of lane l is at {@code from + r * q + l}. */
    private static void column(float[] src, int from, float[] dst, int to, int n, int q, int width, boolean log,
                               float[] scratch) {
        VectorMask<Float> inRange = S.indexInRange(0, width);
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < n; r++) {
            m = m.max(FloatVector.fromArray(S, src, from + r * q, inRange));
        }
        FloatVector sum = FloatVector.zero(S);
        for (int chunk = 0; chunk < n; chunk += ReductionsFast.CHUNK) {
            int chunkEnd = Math.min(n, chunk + ReductionsFast.CHUNK);
            for (int j = 0; j < ACCUMULATORS; j++) {
                FloatVector acc = FloatVector.zero(S);
                for (int r = chunk + j; r < chunkEnd; r += ACCUMULATORS) {
                    FloatVector e = FastExp.exp(FloatVector.fromArray(S, src, from + r * q, inRange).sub(m));
                    e.intoArray(dst, to + r * q, inRange);
                    acc = acc.add(e);
                }
                acc.intoArray(scratch, j * LANES);
            }
            FloatVector partial = LogicalLanes.sumTreeOfLanes(scratch, 0, LANES);
            sum = sum.add(partial);
        }
        if (log) {
            sum.intoArray(scratch, 0);
            for (int lane = 0; lane < LANES; lane++) {
                scratch[lane] = (float) StrictMath.log(scratch[lane]);
            }
            FloatVector logSum = FloatVector.fromArray(S, scratch, 0);
            for (int r = 0; r < n; r++) {
                FloatVector shifted = FloatVector.fromArray(S, src, from + r * q, inRange).sub(m);
                shifted.sub(logSum).intoArray(dst, to + r * q, inRange);
            }
        } else {
            for (int r = 0; r < n; r++) {
                FloatVector.fromArray(S, dst, to + r * q, inRange).div(sum).intoArray(dst, to + r * q, inRange);
            }
        }
    }
}
