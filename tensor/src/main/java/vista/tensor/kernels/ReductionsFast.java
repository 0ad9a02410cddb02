package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.BufferPool;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 reductions: float accumulators, Vector API, parallel tiles, and one summation order
 * that depends neither on the vector width nor on the thread count.
 *
 * <p><b>The order.</b> Each output reduces a sequence {@code v_0 .. v_{n-1}}: its reduced elements in
 * row-major order of the reduced axes. The sequence is cut into chunks of {@value #CHUNK} elements. In
 * a chunk, element {@code i} goes to logical accumulator {@code i mod 16} and the 16 accumulators are
 * combined by a fixed tree, as {@link LogicalLanes} defines, whatever the number of hardware lanes. The chunk
 * results are added in chunk order, left to right. Chunks are what threads share out: each is one
 * partial result, combined afterwards in order. The same holds for max (any order gives the same bits)
 * and for the squared deviations of var (accumulated with one FMA per element).
 *
 * <p><b>Layouts.</b> After merging adjacent axes that are both kept or both reduced, a contiguous
 * tensor whose reduced axes form one block is viewed as {@code [P, R, Q]} (P, Q kept, R reduced):
 * <ul>
 *   <li>{@code Q == 1} (reducing trailing axes): each output reduces a contiguous run of R floats;</li>
 *   <li>{@code Q > 1} (reducing outer axes, e.g. a bias gradient {@code [N, D] -> [D]}): vectors run
 *       across q, one output per lane; a tile keeps 16 accumulators for each of up to {@value #COLUMNS}
 *       columns (16 KB, in L1) and streams through the rows in memory order, adding row r to slot
 *       {@code r mod 16}, so nothing is transposed.</li>
 * </ul>
 * A sum (or mean) of a contiguous tensor over an outer and an inner block around one kept block, such
 * as {@code [N, C, H, W]} over {@code (0, 2, 3)} (a convolution's bias gradient, a per-channel mean), is
 * read in place as {@code [N, C, L]}: each channel's sequence is N runs of L floats, {@code C L} apart,
 * walked in order with each element sent to the accumulator of its position in the sequence
 * ({@link #stridedSum}). Any other case (other separated reduced blocks, max and var over such axes, or
 * a non-contiguous view) is first copied with the reduced axes moved last, which makes it the
 * {@code Q == 1} case. All cases give the same bits for the same logical data, since the order above
 * is defined on the sequence, not on the memory layout.
 */
final class ReductionsFast {
    /** Elements of a reduced sequence per chunk (the unit of parallel partial results). */
    static final int CHUNK = 1 << 15;
    /** Elements of work aimed at per tile. */
    private static final int TILE = 1 << 15;
    /** Kept columns per tile in the strided ({@code Q > 1}) layout. */
    private static final int COLUMNS = 256;
    private static final int ACCUMULATORS = LogicalLanes.COUNT;
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private enum Kind { SUM, MAX, SQUARED_DEVIATIONS }

    private ReductionsFast() {
    }

    /** {@link ReductionsKernels#sum}, in float. */
    static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        Plan plan = Plan.ofSum(x, axes, keepdim, "sum");
        return plan.output(reduce(plan, Kind.SUM, null));
    }

    /** {@link ReductionsKernels#mean}: the fast sum divided by n. */
    static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        Plan plan = Plan.ofSum(x, axes, keepdim, "mean");
        float[] sums = reduce(plan, Kind.SUM, null);
        for (int o = 0; o < sums.length; o++) {
            sums[o] /= plan.reduced;
        }
        return plan.output(sums);
    }

    /** {@link ReductionsKernels#max}. */
    static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        Plan plan = Plan.of(x, axes, keepdim, "max");
        ReductionsKernels.requireElements(x.shape(), plan.reduced, plan.outer * plan.inner, "max");
        return plan.output(reduce(plan, Kind.MAX, null));
    }

    /** {@link ReductionsKernels#var}: the fast mean, then the fast sum of squared deviations from it. */
    static Tensor var(Tensor x, int[] axes, boolean keepdim, int correction) {
        Plan plan = Plan.of(x, axes, keepdim, "var");
        ReductionsKernels.checkCorrection(x.shape(), plan.reduced, correction);
        float[] means = reduce(plan, Kind.SUM, null);
        for (int o = 0; o < means.length; o++) {
            means[o] /= plan.reduced;
        }
        float[] squares = reduce(plan, Kind.SQUARED_DEVIATIONS, means);
        float divisor = plan.reduced - correction;
        for (int o = 0; o < squares.length; o++) {
            squares[o] /= divisor;
        }
        return plan.output(squares);
    }

    /**
     * First index of the maximum along {@code axis} (NaN counts as the maximum): the row's max by the
     * vector MAX reduction above, then a scan for its first occurrence.
     */
    static Tensor argmax(Tensor x, int axis, boolean keepdim) {
        int a = x.shape().axis(axis, "argmax");
        int[] axes = {a};
        boolean[] reduced = ReductionsKernels.reducedAxes(x.shape(), axes, "argmax");
        Shape outShape = ReductionsKernels.outputShape(x.shape(), reduced, keepdim);
        int n = x.dim(a);
        int rows = outShape.numel();
        ReductionsKernels.requireElements(x.shape(), n, rows, "argmax");
        Tensor rowMajor = x.permute(SoftmaxKernels.axisLast(x.rank(), a)).contiguous();
        float[] data = rowMajor.floats();
        int base = rowMajor.offset();
        Tensor out = Tensor.zeros(DType.FLOAT32, outShape);
        float[] dst = out.floats();
        int rowsPerTile = Math.max(1, TILE / Math.max(1, n));
        Tiles.forEach(Tiles.count(rows, rowsPerTile), t -> {
            float[] scratch = new float[ACCUMULATORS];
            for (int row = t * rowsPerTile; row < Math.min(rows, (t + 1) * rowsPerTile); row++) {
                int start = base + row * n;
                float m = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < n; c += CHUNK) {
                    m = Math.max(m, runMax(data, start + c, Math.min(CHUNK, n - c), scratch));
                }
                int i = 0;
                while (i < n - 1 && !(data[start + i] == m || (m != m && data[start + i] != data[start + i]))) {
                    i++;
                }
                dst[row] = i;
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- the shared driver

    /** One value per output: {@code kind} over each output's reduced sequence, in the order above. */
    private static float[] reduce(Plan plan, Kind kind, float[] means) {
        int outputs = plan.outer * plan.inner;
        if (outputs == 0) {
            return new float[0];
        }
        if (plan.reduced == 0) {
            float[] empty = new float[outputs];
            Arrays.fill(empty, kind == Kind.MAX ? Float.NEGATIVE_INFINITY : 0f);
            return empty;
        }
        int chunks = Tiles.count(plan.reduced, CHUNK);
        float[] partials = new float[outputs * chunks];
        if (plan.inner == 1) {
            reduceRuns(plan, kind, means, chunks, partials);
        } else {
            reduceColumns(plan, kind, means, chunks, partials);
        }
        if (chunks == 1) {
            return partials;
        }
        float[] out = new float[outputs];
        for (int p = 0; p < plan.outer; p++) {
            for (int q = 0; q < plan.inner; q++) {
                int first = p * chunks * plan.inner + q;
                float total = partials[first];
                for (int c = 1; c < chunks; c++) {
                    float next = partials[first + c * plan.inner];
                    total = kind == Kind.MAX ? Math.max(total, next) : total + next;
                }
                out[p * plan.inner + q] = total;
            }
        }
        return out;
    }

    /** {@code Q == 1}: partial {@code p * chunks + c} reduces chunk c of the contiguous run of row p. */
    private static void reduceRuns(Plan plan, Kind kind, float[] means, int chunks, float[] partials) {
        int n = plan.reduced;
        int items = plan.outer * chunks;
        int itemsPerTile = Math.max(1, TILE / Math.min(n, CHUNK));
        float[] data = plan.data;
        Tiles.forEach(Tiles.count(items, itemsPerTile), t -> {
            float[] scratch = new float[ACCUMULATORS];
            for (int item = t * itemsPerTile; item < Math.min(items, (t + 1) * itemsPerTile); item++) {
                int p = item / chunks;
                int first = (item % chunks) * CHUNK;
                int length = Math.min(CHUNK, n - first);
                if (plan.runStride > 0) {
                    partials[item] = stridedSum(data, plan.base + p * plan.runLength, plan.runLength, plan.runStride,
                            first, first + length, scratch);
                    continue;
                }
                int from = plan.base + p * n + first;
                partials[item] = switch (kind) {
                    case SUM -> runSum(data, from, length, scratch);
                    case MAX -> runMax(data, from, length, scratch);
                    case SQUARED_DEVIATIONS -> runSquares(data, from, length, means[p], scratch);
                };
            }
        });
    }

    /**
     * {@code Q > 1}: partial {@code (p * chunks + c) * Q + q} reduces chunk c of column q of block p.
     * A tile takes up to {@value #COLUMNS} adjacent columns and streams through the chunk's rows in
     * memory order, adding row r into the accumulators of slot {@code (r - chunk start) mod 16}.
     */
    private static void reduceColumns(Plan plan, Kind kind, float[] means, int chunks, float[] partials) {
        int n = plan.reduced;
        int q = plan.inner;
        int columnBlocks = Tiles.count(q, COLUMNS);
        int items = plan.outer * chunks * columnBlocks;
        int itemsPerTile = Math.max(1, TILE / (Math.min(n, CHUNK) * Math.min(q, COLUMNS)));
        float[] data = plan.data;
        Tiles.forEach(Tiles.count(items, itemsPerTile), t -> {
            float[] acc = new float[ACCUMULATORS * COLUMNS];
            for (int item = t * itemsPerTile; item < Math.min(items, (t + 1) * itemsPerTile); item++) {
                int block = item % columnBlocks;
                int c = (item / columnBlocks) % chunks;
                int p = item / columnBlocks / chunks;
                int rowFrom = c * CHUNK;
                int rowEnd = Math.min(n, rowFrom + CHUNK);
                int col = block * COLUMNS;
                int width = Math.min(q, col + COLUMNS) - col;
                int start = plan.base + p * n * q + col;
                int outAt = (p * chunks + c) * q + col;
                switch (kind) {
                    case SUM -> {
                        columnSum(data, start, q, rowFrom, rowEnd, width, acc);
                        sumTrees(acc, width, partials, outAt);
                    }
                    case MAX -> {
                        columnMax(data, start, q, rowFrom, rowEnd, width, acc);
                        maxTrees(acc, width, partials, outAt);
                    }
                    case SQUARED_DEVIATIONS -> {
                        columnSquares(data, start, q, rowFrom, rowEnd, width, means, p * q + col, acc);
                        sumTrees(acc, width, partials, outAt);
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- contiguous runs
    //
    // Logical accumulator j (0..15) takes elements from + j, from + j + 16, ... Hardware vector block k
    // holds accumulators k .. k + LANES - 1 and steps through the run 16 elements at a time, so the
    // same elements meet in the same order whatever LANES is. Each kind has its own loop so that the JIT
    // compiles it with constant operations (a shared loop switching on the kind lets vectors be boxed).

    private static float runSum(float[] data, int from, int length, float[] scratch) {
        int end = from + length;
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector acc = FloatVector.zero(S);
            int i = from + k;
            for (; i <= end - LANES; i += ACCUMULATORS) {
                acc = acc.add(FloatVector.fromArray(S, data, i));
            }
            if (i < end) {
                acc = acc.add(FloatVector.fromArray(S, data, i, S.indexInRange(i, end)));
            }
            acc.intoArray(scratch, k);
        }
        return LogicalLanes.sumTree(scratch, 0);
    }

    private static float runMax(float[] data, int from, int length, float[] scratch) {
        int end = from + length;
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            int i = from + k;
            for (; i <= end - LANES; i += ACCUMULATORS) {
                acc = acc.max(FloatVector.fromArray(S, data, i));
            }
            if (i < end) {
                VectorMask<Float> inRange = S.indexInRange(i, end);
                acc = acc.blend(acc.max(FloatVector.fromArray(S, data, i, inRange)), inRange);
            }
            acc.intoArray(scratch, k);
        }
        return LogicalLanes.maxTree(scratch);
    }

    /** The sum of {@code (x - mean)^2}, each square added with one FMA. */
    private static float runSquares(float[] data, int from, int length, float mean, float[] scratch) {
        int end = from + length;
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector acc = FloatVector.zero(S);
            int i = from + k;
            for (; i <= end - LANES; i += ACCUMULATORS) {
                FloatVector d = FloatVector.fromArray(S, data, i).sub(m);
                acc = d.fma(d, acc);
            }
            if (i < end) {
                VectorMask<Float> inRange = S.indexInRange(i, end);
                FloatVector d = FloatVector.fromArray(S, data, i, inRange).sub(m);
                acc = acc.blend(d.fma(d, acc), inRange);
            }
            acc.intoArray(scratch, k);
        }
        return LogicalLanes.sumTree(scratch, 0);
    }

    /**
     * The sum of elements {@code j0 .. j1-1} of a sequence stored as runs of {@code runLength} floats
     * {@code runStride} apart from {@code first} (element j at
     * {@code first + (j / runLength) * runStride + j % runLength}), with j0 a multiple of 16: element j
     * goes to logical accumulator {@code j mod 16}, exactly as {@link #runSum} sends it in the copied
     * sequence. Within a run, the elements before the next multiple of 16 and after the last one are added
     * one by one to their accumulators; the groups of 16 between them are added a vector at a time. Each
     * accumulator thus takes its elements in increasing j, from 0, and the fixed tree combines them, so
     * the bits are those of the copy.
     */
    private static float stridedSum(float[] data, int first, int runLength, int runStride, int j0, int j1,
            float[] acc) {
        Arrays.fill(acc, 0, ACCUMULATORS, 0f);
        int j = j0;
        while (j < j1) {
            int run = j / runLength;
            int end = Math.min(j1, (run + 1) * runLength);
            int at = first + run * runStride + (j - run * runLength);
            for (; j < end && j % ACCUMULATORS != 0; j++, at++) {
                acc[j % ACCUMULATORS] += data[at];
            }
            int groups = (end - j) / ACCUMULATORS;
            for (int k = 0; k < ACCUMULATORS; k += LANES) {
                FloatVector sum = FloatVector.fromArray(S, acc, k);
                for (int g = 0; g < groups; g++) {
                    sum = sum.add(FloatVector.fromArray(S, data, at + g * ACCUMULATORS + k));
                }
                sum.intoArray(acc, k);
            }
            j += groups * ACCUMULATORS;
            at += groups * ACCUMULATORS;
            for (; j < end; j++, at++) {
                acc[j % ACCUMULATORS] += data[at];
            }
        }
        return LogicalLanes.sumTree(acc, 0);
    }

    /**
     * The sum of {@code data[from .. from + length)} in the order above (chunks of {@value #CHUNK}, each
     * with 16 logical accumulators and the fixed tree, chunk results added in order); for kernels that
     * must sum like the reductions do. {@code scratch} holds at least 16 floats.
     */
    static float sumOfRun(float[] data, int from, int length, float[] scratch) {
        float total = runSum(data, from, Math.min(CHUNK, length), scratch);
        for (int c = CHUNK; c < length; c += CHUNK) {
            total += runSum(data, from + c, Math.min(CHUNK, length - c), scratch);
        }
        return total;
    }

    /** The fixed tree over the 16 logical accumulators {@code s[0..15]}. */
    // ---------------------------------------------------------------- columns
    //
    // {@code width} adjacent columns, element (r, c) at {@code start + r * q + c}. Slot j of {@code acc}
    // ({@code acc[j * COLUMNS + c]}) is logical accumulator j of column c: it takes rows rowFrom + j,
    // rowFrom + j + 16, ..., in increasing order, exactly as a contiguous run would.

    private static void columnSum(float[] data, int start, int q, int rowFrom, int rowEnd, int width, float[] acc) {
        Arrays.fill(acc, 0f);
        for (int r = rowFrom; r < rowEnd; r++) {
            int row = start + r * q;
            int slot = (r - rowFrom) % ACCUMULATORS * COLUMNS;
            for (int c = 0; c < width; c += LANES) {
                FloatVector v = FloatVector.fromArray(S, data, row + c, S.indexInRange(c, width));
                FloatVector.fromArray(S, acc, slot + c).add(v).intoArray(acc, slot + c);
            }
        }
    }

    private static void columnMax(float[] data, int start, int q, int rowFrom, int rowEnd, int width, float[] acc) {
        Arrays.fill(acc, Float.NEGATIVE_INFINITY);
        for (int r = rowFrom; r < rowEnd; r++) {
            int row = start + r * q;
            int slot = (r - rowFrom) % ACCUMULATORS * COLUMNS;
            for (int c = 0; c < width; c += LANES) {
                FloatVector v = FloatVector.fromArray(S, data, row + c, S.indexInRange(c, width));
                FloatVector.fromArray(S, acc, slot + c).max(v).intoArray(acc, slot + c);
            }
        }
    }

    /** Squared deviations from {@code means[meanAt + c]}, each added with one FMA. */
    private static void columnSquares(float[] data, int start, int q, int rowFrom, int rowEnd, int width,
                                      float[] means, int meanAt, float[] acc) {
        Arrays.fill(acc, 0f);
        for (int r = rowFrom; r < rowEnd; r++) {
            int row = start + r * q;
            int slot = (r - rowFrom) % ACCUMULATORS * COLUMNS;
            for (int c = 0; c < width; c += LANES) {
                VectorMask<Float> inRange = S.indexInRange(c, width);
                FloatVector d = FloatVector.fromArray(S, data, row + c, inRange)
                        .sub(FloatVector.fromArray(S, means, meanAt + c, inRange));
                d.fma(d, FloatVector.fromArray(S, acc, slot + c)).intoArray(acc, slot + c);
            }
        }
    }

    /** Per column c, the fixed sum tree over the 16 slots of {@code acc}, stored at {@code out[outAt + c]}. */
    private static void sumTrees(float[] acc, int width, float[] out, int outAt) {
        for (int c = 0; c < width; c += LANES) {
            LogicalLanes.sumTreeOfLanes(acc, c, COLUMNS).intoArray(out, outAt + c, S.indexInRange(c, width));
        }
    }

    private static void maxTrees(float[] acc, int width, float[] out, int outAt) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector m = FloatVector.fromArray(S, acc, c);
            for (int j = 1; j < ACCUMULATORS; j++) {
                m = m.max(FloatVector.fromArray(S, acc, j * COLUMNS + c));
            }
            m.intoArray(out, outAt + c, S.indexInRange(c, width));
        }
    }

    // ---------------------------------------------------------------- layout

    /**
     * x as {@code [outer, reduced, inner]} floats from {@code base} in {@code data}, row-major, and the
     * output shape; or, when {@code runStride > 0} (then {@code inner == 1}), output p's {@code reduced}
     * elements are runs of {@code runLength} floats {@code runStride} apart from {@code base + p runLength}.
     */
    private record Plan(float[] data, int base, int outer, int reduced, int inner, int runLength, int runStride,
                        Shape outShape, Tensor copy) {
        /** A plan that reads x in place: {@code [outer, reduced, inner]}. */
        Plan(float[] data, int base, int outer, int reduced, int inner, Shape outShape, Tensor copy) {
            this(data, base, outer, reduced, inner, reduced, 0, outShape, copy);
        }

        /** The plan of a sum (or mean), which also reads {@code [N, C, L]} over N and L in place. */
        static Plan ofSum(Tensor x, int[] axes, boolean keepdim, String op) {
            boolean[] isReduced = ReductionsKernels.reducedAxes(x.shape(), axes, op);
            int[] dims = x.dims();
            int kept = 0;
            while (kept < dims.length && isReduced[kept]) {
                kept++;
            }
            int keptEnd = kept;
            while (keptEnd < dims.length && !isReduced[keptEnd]) {
                keptEnd++;
            }
            boolean rest = true;
            for (int a = keptEnd; a < dims.length; a++) {
                rest &= isReduced[a];
            }
            if (kept == 0 || keptEnd == dims.length || !rest || !x.isContiguous()) {
                return of(x, axes, keepdim, op);
            }
            int outer = product(dims, 0, kept);
            int channels = product(dims, kept, keptEnd);
            int runLength = product(dims, keptEnd, dims.length);
            if (outer == 1 || runLength == 1) {
                return of(x, axes, keepdim, op);
            }
            return new Plan(x.floats(), x.offset(), channels, outer * runLength, 1, runLength, channels * runLength,
                    ReductionsKernels.outputShape(x.shape(), isReduced, keepdim), null);
        }

        private static int product(int[] dims, int from, int to) {
            int p = 1;
            for (int a = from; a < to; a++) {
                p *= dims[a];
            }
            return p;
        }

        static Plan of(Tensor x, int[] axes, boolean keepdim, String op) {
            boolean[] isReduced = ReductionsKernels.reducedAxes(x.shape(), axes, op);
            Shape outShape = ReductionsKernels.outputShape(x.shape(), isReduced, keepdim);
            int[] dims = x.dims();
            int before = 1;
            int reduced = 1;
            int after = 1;
            int blocks = 0;
            boolean inBlock = false;
            for (int a = 0; a < dims.length; a++) {
                if (dims[a] == 1) {
                    continue;
                }
                if (isReduced[a]) {
                    if (!inBlock) {
                        blocks++;
                        inBlock = true;
                    }
                    reduced *= dims[a];
                } else {
                    inBlock = false;
                    if (blocks == 0) {
                        before *= dims[a];
                    } else {
                        after *= dims[a];
                    }
                }
            }
            if (blocks == 0 && x.isContiguous()) {
                return new Plan(x.floats(), x.offset(), 1, 1, x.numel(), outShape, null);
            }
            if (blocks == 1 && x.isContiguous()) {
                return new Plan(x.floats(), x.offset(), before, reduced, after, outShape, null);
            }
            int[] order = new int[dims.length];
            int k = 0;
            for (int a = 0; a < dims.length; a++) {
                if (!isReduced[a]) {
                    order[k++] = a;
                }
            }
            for (int a = 0; a < dims.length; a++) {
                if (isReduced[a]) {
                    order[k++] = a;
                }
            }
            Tensor moved = x.permute(order).contiguous();
            return new Plan(moved.floats(), moved.offset(), outShape.numel(), reduced, 1, outShape,
                    moved.storage() == x.storage() ? null : moved);
        }

        /** The result holding {@code values}; the plan's copy of x, if it made one, goes back to the pool. */
        Tensor output(float[] values) {
            if (copy != null) {
                BufferPool.discard(copy);
            }
            return Tensor.of(new Storage.Floats(values), outShape);
        }
    }
}
