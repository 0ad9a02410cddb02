package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 max and average pooling: the rules of {@link PoolingReference} on the raw float
 * arrays of contiguous tensors, in float, parallel over tiles of whole channel planes.
 *
 * <p>What differs from the reference, and why:
 * <ul>
 *   <li>Each tile is a run of {@code (sample, channel)} planes sized from the shape (about
 *       {@value #TILE_WORK} window cells), so the work spreads over the pool.</li>
 *   <li>Every window's extent inside the image and its divisor are computed once per call.</li>
 *   <li>Along an output row, the windows that lie wholly inside the image's width are computed
 *       {@code LANES} at a time, one window per lane: each tap is one vector load, and the running
 *       maximum, its cell and the running sum are lane-wise. At a stride s above 1 the loads read a copy
 *       of the plane split by phase (column z goes to phase z mod s), where the same tap of consecutive
 *       windows is contiguous; gathers were about three times slower. For ResNet's stem pooling (3x3,
 *       stride 2, 8 x 64 x 112 x 112) this made max pooling four times faster than a scalar loop, whose
 *       "is this larger?" branches mispredict. Windows cut by the left or right border stay scalar.
 *       Average-pooling backward stays scalar: its windows scatter into shared cells.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> A plane belongs to one tile. Each lane follows the scalar rule exactly (the
 * same scan order, the same replacement test, the same order of float additions), so which path
 * computes a window, and the vector width, change nothing. Max pooling selects exactly the value and
 * cell the reference selects, so its output has the reference's bits. Average pooling sums each window
 * in float in row-major order, then divides by D; max-pooling backward adds the gradients that land on
 * one cell in output order; average-pooling backward adds {@code g / D} in output order. Global average
 * pooling is {@link ReductionsKernels#mean} over H and W, whose order is fixed too, and its backward
 * {@code g / (H W)} is a single correctly rounded division.
 */
final class PoolingFast {
    /** Window cells per tile (a few tens of microseconds of work). */
    static final int TILE_WORK = 1 << 16;
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final VectorSpecies<Integer> INT = Vectors.FLOAT.withLanes(int.class);
    private static final int LANES = Vectors.LANES;

    private PoolingFast() {
    }

    static Tensor maxPool(Tensor input, ConvGeometry window) {
        Shape outShape = window.outputShape(input.shape());
        Tensor x = input.contiguous();
        Tensor out = Tensor.zeros(DType.FLOAT32, outShape);
        float[] xa = x.floats();
        float[] oa = out.floats();
        Planes p = new Planes(window, input.shape(), outShape, true);
        p.forEachPlane(true, (plane, split) -> {
            int from = x.offset() + plane * p.inPlane();
            float[] source = p.vectorSource(xa, from, split);
            int base = p.vectorBase(from, split);
            int to = plane * p.outPlane();
            for (int i = 0; i < p.outHeight; i++, to += p.outWidth) {
                int j = 0;
                for (; j < p.firstInterior; j++) {
                    oa[to + j] = xa[from + argmax(xa, from, p, i, j)];
                }
                if (p.vectorized()) {
                    for (; j < p.lastInterior; j += LANES) {
                        int start = Math.min(j, p.lastInterior - LANES);
                        maxVector(source, base, p, i, start).intoArray(oa, to + start);
                    }
                    j = p.lastInterior;
                }
                for (; j < p.outWidth; j++) {
                    oa[to + j] = xa[from + argmax(xa, from, p, i, j)];
                }
            }
        });
        return out;
    }

    static Tensor maxPoolBackward(Tensor gradOutput, Tensor input, ConvGeometry window) {
        Tensor x = input.contiguous();
        Tensor g = gradOutput.contiguous();
        Tensor dx = Tensor.zeros(DType.FLOAT32, input.shape());
        float[] xa = x.floats();
        float[] ga = g.floats();
        float[] dxa = dx.floats();
        Planes p = new Planes(window, input.shape(), gradOutput.shape(), true);
        p.forEachPlane(true, (plane, split) -> {
            int[] cells = new int[LANES];
            int from = x.offset() + plane * p.inPlane();
            float[] source = p.vectorSource(xa, from, split);
            int base = p.vectorBase(from, split);
            int gradient = g.offset() + plane * p.outPlane();
            int to = plane * p.inPlane();
            for (int i = 0; i < p.outHeight; i++, gradient += p.outWidth) {
                int j = 0;
                for (; j < p.firstInterior; j++) {
                    dxa[to + argmax(xa, from, p, i, j)] += ga[gradient + j];
                }
                if (p.vectorized()) {
                    for (; j < p.lastInterior; j += LANES) {
                        int start = Math.min(j, p.lastInterior - LANES);
                        argmaxVector(source, base, p, i, start).intoArray(cells, 0);
                        for (int k = j - start; k < LANES; k++) {
                            dxa[to + cells[k]] += ga[gradient + start + k];
                        }
                    }
                    j = p.lastInterior;
                }
                for (; j < p.outWidth; j++) {
                    dxa[to + argmax(xa, from, p, i, j)] += ga[gradient + j];
                }
            }
        });
        return dx;
    }

    /**
     * The index within the plane of window {@code (i, j)}'s maximum: scanned row by row, replaced by a
     * larger value or a NaN, starting from the window's first cell inside the image.
     */
    private static int argmax(float[] x, int plane, Planes p, int i, int j) {
        int best = p.rowStart[i] * p.width + p.columnStart[j];
        float max = Float.NEGATIVE_INFINITY;
        for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
            int row = y * p.width;
            for (int z = p.columnStart[j]; z < p.columnEnd[j]; z++) {
                float value = x[plane + row + z];
                if (value > max || value != value) {
                    max = value;
                    best = row + z;
                }
            }
        }
        return best;
    }

    /**
     * The maxima of the {@link #LANES} interior windows {@code (i, j .. j+LANES-1)}, one per lane, by the
     * scalar rule of {@link #argmax} applied lane by lane (same scan order, same replacement test).
     */
    private static FloatVector maxVector(float[] source, int base, Planes p, int i, int j) {
        FloatVector max = FloatVector.broadcast(FLOAT, Float.NEGATIVE_INFINITY);
        for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
            int row = base + y * p.rowLength + j;
            for (int v = 0; v < p.kernelWidth; v++) {
                FloatVector value = FloatVector.fromArray(FLOAT, source, row + p.tapOffset[v]);
                max = max.blend(value, replaces(value, max));
            }
        }
        return max;
    }

    /** The cells (indices within the plane) that {@link #maxVector} selects, one per lane. */
    private static IntVector argmaxVector(float[] source, int base, Planes p, int i, int j) {
        FloatVector max = FloatVector.broadcast(FLOAT, Float.NEGATIVE_INFINITY);
        int first = j * p.strideWidth - p.paddingWidth;
        IntVector best = p.laneSteps.add(p.rowStart[i] * p.width + first);
        for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
            int row = base + y * p.rowLength + j;
            for (int v = 0; v < p.kernelWidth; v++) {
                FloatVector value = FloatVector.fromArray(FLOAT, source, row + p.tapOffset[v]);
                VectorMask<Float> replaces = replaces(value, max);
                max = max.blend(value, replaces);
                best = best.blend(p.laneSteps.add(y * p.width + first + v), replaces.cast(INT));
            }
        }
        return best;
    }

    /** The lanes where {@code value} replaces the running maximum: larger, or NaN (as in {@link #argmax}). */
    private static VectorMask<Float> replaces(FloatVector value, FloatVector max) {
        return value.compare(VectorOperators.GT, max).or(value.test(VectorOperators.IS_NAN));
    }

    static Tensor avgPool(Tensor input, ConvGeometry window, boolean countIncludePad) {
        Shape outShape = window.outputShape(input.shape());
        Tensor x = input.contiguous();
        Tensor out = Tensor.zeros(DType.FLOAT32, outShape);
        float[] xa = x.floats();
        float[] oa = out.floats();
        Planes p = new Planes(window, input.shape(), outShape, countIncludePad);
        p.forEachPlane(true, (plane, split) -> {
            int from = x.offset() + plane * p.inPlane();
            float[] source = p.vectorSource(xa, from, split);
            int base = p.vectorBase(from, split);
            int to = plane * p.outPlane();
            for (int i = 0; i < p.outHeight; i++, to += p.outWidth) {
                int j = 0;
                for (; j < p.firstInterior; j++) {
                    oa[to + j] = windowSum(xa, from, p, i, j) / (p.rowCount[i] * p.columnCount[j]);
                }
                if (p.vectorized()) {
                    float divisor = p.rowCount[i] * p.kernelWidth;
                    for (; j < p.lastInterior; j += LANES) {
                        int start = Math.min(j, p.lastInterior - LANES);
                        sumVector(source, base, p, i, start).div(divisor).intoArray(oa, to + start);
                    }
                    j = p.lastInterior;
                }
                for (; j < p.outWidth; j++) {
                    oa[to + j] = windowSum(xa, from, p, i, j) / (p.rowCount[i] * p.columnCount[j]);
                }
            }
        });
        return out;
    }

    /** The sum of window {@code (i, j)}'s cells inside the image, row by row, in float. */
    private static float windowSum(float[] x, int plane, Planes p, int i, int j) {
        float sum = 0;
        for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
            for (int z = p.columnStart[j]; z < p.columnEnd[j]; z++) {
                sum += x[plane + y * p.width + z];
            }
        }
        return sum;
    }

    /** {@link #windowSum} of the {@link #LANES} interior windows {@code (i, j .. j+LANES-1)}, lane by lane. */
    private static FloatVector sumVector(float[] source, int base, Planes p, int i, int j) {
        FloatVector sum = FloatVector.zero(FLOAT);
        for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
            int row = base + y * p.rowLength + j;
            for (int v = 0; v < p.kernelWidth; v++) {
                sum = sum.add(FloatVector.fromArray(FLOAT, source, row + p.tapOffset[v]));
            }
        }
        return sum;
    }

    static Tensor avgPoolBackward(Tensor gradOutput, Shape inputShape, ConvGeometry window, boolean countIncludePad) {
        Tensor g = gradOutput.contiguous();
        Tensor dx = Tensor.zeros(DType.FLOAT32, inputShape);
        float[] ga = g.floats();
        float[] dxa = dx.floats();
        Planes p = new Planes(window, inputShape, gradOutput.shape(), countIncludePad);
        p.forEachPlane(false, (plane, split) -> {
            int gradient = g.offset() + plane * p.outPlane();
            int to = plane * p.inPlane();
            for (int i = 0; i < p.outHeight; i++) {
                for (int j = 0; j < p.outWidth; j++) {
                    float share = ga[gradient++] / (p.rowCount[i] * p.columnCount[j]);
                    for (int y = p.rowStart[i]; y < p.rowEnd[i]; y++) {
                        for (int z = p.columnStart[j]; z < p.columnEnd[j]; z++) {
                            dxa[to + y * p.width + z] += share;
                        }
                    }
                }
            }
        });
        return dx;
    }

    static Tensor globalAvgPool(Tensor x) {
        return ReductionsKernels.mean(x, new int[] {2, 3}, true);
    }

    static Tensor globalAvgPoolBackward(Tensor gradOutput, Shape inputShape) {
        Tensor g = gradOutput.contiguous();
        Tensor dx = Tensor.zeros(DType.FLOAT32, inputShape);
        float[] ga = g.floats();
        float[] dxa = dx.floats();
        int area = inputShape.dim(2) * inputShape.dim(3);
        int planes = inputShape.dim(0) * inputShape.dim(1);
        int perTile = Math.max(1, TILE_WORK / Math.max(1, area));
        Tiles.forEach(Tiles.count(planes, perTile), t -> {
            for (int plane = t * perTile; plane < Math.min(planes, (t + 1) * perTile); plane++) {
                Arrays.fill(dxa, plane * area, (plane + 1) * area, ga[g.offset() + plane] / area);
            }
        });
        return dx;
    }

    /**
     * The sizes of one pooling call, its tiles (runs of whole planes), and each window row's and column's
     * extent inside the image ({@code start .. end-1}) and its share of the divisor D ({@code count}: of
     * the padded image with {@code countIncludePad}, else of the image), computed once per call with
     * {@link PoolingReference.Range}, the reference's own rule.
     */
    private static final class Planes {
        final int planes;
        final int height;
        final int width;
        final int outHeight;
        final int outWidth;
        final int windowCells;
        final int[] rowStart;
        final int[] rowEnd;
        final int[] rowCount;
        final int[] columnStart;
        final int[] columnEnd;
        final int[] columnCount;
        final int kernelWidth;
        final int strideWidth;
        final int paddingWidth;
        /** Output columns {@code firstInterior .. lastInterior-1} have their whole window inside the width. */
        final int firstInterior;
        final int lastInterior;
        /** {@code k * strideWidth} in lane k: the cells of one vector of windows, relative to the first. */
        final IntVector laneSteps;
        /** Whether vectors read a phase-split copy of each plane (at strides above 1). */
        final boolean split;
        /** Elements of one phase of a split row: {@code ceil(width / strideWidth)}. */
        final int phaseLength;
        /** Distance between rows of what vectors read: the width, or a split row's length. */
        final int rowLength;
        /** Where tap v of window j reads, relative to {@code row + j}, in what vectors read. */
        final int[] tapOffset;

        Planes(ConvGeometry window, Shape input, Shape output, boolean countIncludePad) {
            planes = input.dim(0) * input.dim(1);
            height = input.dim(2);
            width = input.dim(3);
            outHeight = output.dim(2);
            outWidth = output.dim(3);
            windowCells = window.kernelHeight() * window.kernelWidth();
            rowStart = new int[outHeight];
            rowEnd = new int[outHeight];
            rowCount = new int[outHeight];
            for (int i = 0; i < outHeight; i++) {
                PoolingReference.Range rows = PoolingReference.Range.rows(window, i, height);
                rowStart[i] = rows.start();
                rowEnd[i] = rows.end();
                rowCount[i] = countIncludePad ? rows.paddedCount() : rows.end() - rows.start();
            }
            columnStart = new int[outWidth];
            columnEnd = new int[outWidth];
            columnCount = new int[outWidth];
            for (int j = 0; j < outWidth; j++) {
                PoolingReference.Range columns = PoolingReference.Range.columns(window, j, width);
                columnStart[j] = columns.start();
                columnEnd[j] = columns.end();
                columnCount[j] = countIncludePad ? columns.paddedCount() : columns.end() - columns.start();
            }
            kernelWidth = window.kernelWidth();
            strideWidth = window.strideWidth();
            paddingWidth = window.paddingWidth();
            firstInterior = Math.min(outWidth, (paddingWidth + strideWidth - 1) / strideWidth);
            lastInterior = Math.max(firstInterior,
                    Math.min(outWidth, Math.floorDiv(width - kernelWidth + paddingWidth, strideWidth) + 1));
            int[] steps = new int[LANES];
            for (int k = 0; k < LANES; k++) {
                steps[k] = k * strideWidth;
            }
            laneSteps = IntVector.fromArray(INT, steps, 0);
            split = strideWidth > 1;
            phaseLength = (width + strideWidth - 1) / strideWidth;
            rowLength = split ? strideWidth * phaseLength : width;
            tapOffset = new int[kernelWidth];
            for (int v = 0; v < kernelWidth; v++) {
                tapOffset[v] = split
                        ? Math.floorMod(v - paddingWidth, strideWidth) * phaseLength
                                + Math.floorDiv(v - paddingWidth, strideWidth)
                        : v - paddingWidth;
            }
        }

        /**
         * Whether the interior columns fill at least one vector. They are then computed {@link #LANES}
         * windows at a time, the last vector ending at {@link #lastInterior} and overlapping the one
         * before it (its repeated windows are computed again and give the same results).
         */
        boolean vectorized() {
            return lastInterior - firstInterior >= LANES;
        }

        /**
         * What the vectors of windows read for the plane at {@code x[from]}: the plane itself at stride 1;
         * at stride s > 1, {@code into} filled with the plane split by phase, each row holding its columns
         * {@code z = phase (mod s)} one after the other, phase by phase ({@code phaseLength} apiece), so
         * that the same tap of consecutive windows, s columns apart in the image, is contiguous.
         */
        float[] vectorSource(float[] x, int from, float[] into) {
            if (into == null) {
                return x;
            }
            for (int y = 0; y < height; y++) {
                int row = from + y * width;
                for (int phase = 0; phase < strideWidth; phase++) {
                    int to = y * rowLength + phase * phaseLength;
                    for (int z = phase; z < width; z += strideWidth) {
                        into[to++] = x[row + z];
                    }
                }
            }
            return into;
        }

        /** Where the plane at {@code x[from]} starts in {@link #vectorSource} given {@code into}. */
        int vectorBase(int from, float[] into) {
            return into == null ? from : 0;
        }

        int inPlane() {
            return height * width;
        }

        int outPlane() {
            return outHeight * outWidth;
        }

        /**
         * Runs {@code body} for every plane, in tiles of about {@value PoolingFast#TILE_WORK} window cells;
         * each tile owns the buffer for {@link #vectorSource} if the body {@code readsVectors} and vectors
         * read a split copy (else null).
         */
        void forEachPlane(boolean readsVectors, PlaneBody body) {
            long work = Math.max(1L, (long) outPlane() * windowCells);
            int perTile = (int) Math.max(1, TILE_WORK / work);
            Tiles.forEach(Tiles.count(planes, perTile), t -> {
                float[] buffer = readsVectors && split && vectorized() ? new float[height * rowLength] : null;
                for (int plane = t * perTile; plane < Math.min(planes, (t + 1) * perTile); plane++) {
                    body.accept(plane, buffer);
                }
            });
        }
    }

    /** The work on one plane, given its tile's phase-split buffer (or null). */
    @FunctionalInterface
    private interface PlaneBody {
        void accept(int plane, float[] split);
    }
}
