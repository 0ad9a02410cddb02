package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 kernel of {@link AggregationKernels}: the formulas of that class on the raw float arrays of
 * contiguous tensors, {@link Vectors#LANES} output columns at a time, on the padded planes of
 * {@link PaddedPlanes}, without ever building the k^2 neighbours of x. Shapes are
 * checked by {@link AggregationKernels}; {@link AggregationReference} is the oracle.
 *
 * <p>What differs from the reference, and why:
 * <ul>
 *   <li><b>Tiles are weight planes</b> (sample n, weight channel cw): a tile computes the
 *       {@code G = C / Cw} channels {@code cw, cw + Cw, ...} that share those weights, so the weights
 *       (k^2 floats per output pixel, the largest operand: 39 MB at the benchmark shape) are read from
 *       memory once per pass. A tile first pads its G planes of x (reflected or zero border), so every
 *       neighbour read is a plain load. For 8 x 64 x 56 x 56 with Cw = 8: 64 tiles of 8 channels.</li>
 *   <li><b>Bands of rows.</b> A tile stages the weights of a band of output rows plane by plane (runs of
 *       2 KB, which the hardware prefetchers follow; reading the 49 planes a row at a time was three
 *       times slower), then computes the band from the staged copy.</li>
 *   <li><b>Register blocking</b>: forward, for one block of LANES output columns, one load of a weight
 *       feeds eight fused multiply-adds, one per channel of the group (then one at a time); dL/dw, one
 *       load of an output gradient feeds eight, one per neighbour; dL/dx, one load of a weight feeds eight
 *       channels. Each step is a method over arrays, so that no vector crosses a call the JIT might not
 *       inline.</li>
 *   <li><b>Backward</b>, per band, stages its weights and the group's output gradients between zeros,
 *       computes dL/dw plane by plane (a sum over the group's channels per pixel, written once, in
 *       runs), and gathers dL/dx into the group's padded planes as {@link NeighbourhoodFast} does, with
 *       {@code w G} products: per padded row and block of columns, one fused multiply-add per neighbour
 *       instead of a read-modify-write of dL/dx per neighbour. The padded planes are folded onto dL/dx
 *       at the end of the tile.</li>
 *   <li>A neighbour in the zero padding multiplies a zero instead of being skipped, which gives the
 *       same sums for finite weights.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Every result element is computed by one lane, and a lane's operations do not
 * depend on which lane it is, on the vector width or on the tile: an output is one chain of fused
 * multiply-adds from 0 over the neighbours in order; {@code dL/dw[n, cw, k, o]} one chain from 0 over
 * the channels {@code c = cw mod Cw} in increasing c; a cell of a padded {@code dL/dx} one chain from 0
 * over output rows, then column offsets b, in increasing order, then the fixed fold. Lanes past the end
 * of a row are never stored, or add products with staged zeros, which change nothing; a block that
 * overlaps its predecessor recomputes the same values. Each tile writes only its own channels of y and
 * dL/dx and its own plane of dL/dw. So the bits depend neither on the thread count nor on the vector
 * width.
 *
 * <p><b>Memory.</b> Besides the results, each running tile uses one scratch set: the G padded planes of
 * x (and of dL/dx in backward) and a band of staged weights (and output gradients); about 0.3 MB in
 * forward and 0.5 MB in backward at the benchmark shape, one set per thread.
 */
public final class AggregationFast {
    /** Channels (or, for dL/dw, neighbours) whose sums one load feeds. */
    private static final int BLOCK = 8;
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private AggregationFast() {
    }

    /** {@code y[n, c, o] = sum over k of w[n, c mod Cw, k, o] x[n, c, src_k(o)]}, one weight plane per tile. */
    public static Tensor forward(Tensor x, Tensor w, Footprint footprint) {
        Operands o = new Operands(x, w, footprint);
        Tensor result = Tensor.zeros(DType.FLOAT32, AggregationKernels.outputShape(x.shape(), footprint));
        float[] y = result.floats();
        PaddedPlanes.forEachTile(o.tiles(), () -> new Scratch(o, false), (s, t) -> o.forwardTile(t, s, y));
        return result;
    }

    /** The gradients of x and w; see {@link AggregationKernels} for the formulas. */
    public static AggregationKernels.Gradients backward(Tensor gradOutput, Tensor x, Tensor w, Footprint footprint) {
        Operands o = new Operands(x, w, footprint);
        Tensor g = gradOutput.contiguous();
        float[] grad = g.floats();
        int gradAt = g.offset();
        Tensor dx = Tensor.zeros(DType.FLOAT32, x.shape());
        Tensor dw = Tensor.zeros(DType.FLOAT32, w.shape());
        float[] dxs = dx.floats();
        float[] dws = dw.floats();
        PaddedPlanes.forEachTile(o.tiles(), () -> new Scratch(o, true),
                (s, t) -> o.backwardTile(t, s, grad, gradAt, dxs, dws));
        return new AggregationKernels.Gradients(dx, dw);
    }

    /** One tile's working memory. */
    private static final class Scratch {
        /** The group's padded planes of x. */
        final float[] values;
        /** The group's padded planes of dL/dx (backward only). */
        final float[] valueGrads;
        /**
         * The k^2 weight planes of one band of output rows: in runs in forward, between zeros in backward
         * (where the gather reads them shifted).
         */
        final float[] weightRows;
        /** The group's output-gradient planes of one band of output rows, staged between zeros (backward only). */
        final float[] gradRows;
        /** Sums of one block of a row narrower than LANES, before they are stored under a mask. */
        final float[] sums;

        Scratch(Operands o, boolean backward) {
            PaddedPlanes p = o.planes;
            values = new float[o.group * p.planeLength];
            valueGrads = backward ? new float[o.group * p.planeLength] : null;
            weightRows = new float[backward ? p.stagedSize(p.neighbours) : p.neighbours * p.flatStride];
            gradRows = backward ? new float[p.stagedSize(o.group)] : null;
            sums = new float[Math.max(o.group, BLOCK) * LANES];
        }
    }

    /** The arrays and sizes of one call, and its tile bodies. */
    private static final class Operands {
        final PaddedPlanes planes;
        final float[] values;
        final int valuesAt;
        final float[] weights;
        final int weightsAt;
        /** Cw, the weight channels. */
        final int shared;
        /** C / Cw, the channels of a tile. */
        final int group;

        Operands(Tensor x, Tensor w, Footprint footprint) {
            planes = new PaddedPlanes(x.shape(), footprint);
            Tensor xc = x.contiguous();
            Tensor wc = w.contiguous();
            values = xc.floats();
            valuesAt = xc.offset();
            weights = wc.floats();
            weightsAt = wc.offset();
            shared = w.dim(1);
            group = planes.channels / shared;
        }

        int tiles() {
            return planes.batch * shared;
        }

        /** The plane index {@code n C + c} of channel g of tile t's group. */
        int channel(int t, int g) {
            return t / shared * planes.channels + t % shared + g * shared;
        }

        void padValues(int t, Scratch s) {
            PaddedPlanes p = planes;
            for (int g = 0; g < group; g++) {
                p.pad(values, valuesAt + channel(t, g) * p.inputPlane, s.values, g * p.planeLength);
            }
        }

        /** Per band of output rows: stage its weights, then each row, a block of LANES columns at a time. */
        void forwardTile(int t, Scratch s, float[] y) {
            PaddedPlanes p = planes;
            padValues(t, s);
            int outputStride = shared * p.outputPlane;
            int outputAt = channel(t, 0) * p.outputPlane;
            int weightAt = weightsAt + t * p.neighbours * p.outputPlane;
            for (int i0 = 0; i0 < p.outHeight; i0 += p.bandRows) {
                int rows = Math.min(p.bandRows, p.outHeight - i0);
                p.stageFlatBand(weights, weightAt, p.neighbours, p.outputPlane, i0, rows, s.weightRows);
                for (int r = 0; r < rows; r++) {
                    int row = p.rowStart(i0 + r);
                    int pixel = outputAt + (i0 + r) * p.outWidth;
                    for (int j0 : p.columnBlocks) {
                        int w = r * p.outWidth + j0;
                        if (p.narrow) {
                            weightedSums(s.weightRows, w, p.flatStride, s.values, row + j0, p, group, s.sums, 0, LANES);
                            p.storeNarrow(s.sums, group, y, pixel, outputStride);
                        } else {
                            weightedSums(s.weightRows, w, p.flatStride, s.values, row + j0, p, group, y, pixel + j0,
                                    outputStride);
                        }
                    }
                }
            }
        }

        /**
         * Per band of output rows: stage its weights and output gradients, compute dL/dw plane by plane,
         * and gather each row's products into the padded planes of dL/dx; fold those at the end.
         */
        void backwardTile(int t, Scratch s, float[] grad, int gradAt, float[] dx, float[] dw) {
            PaddedPlanes p = planes;
            padValues(t, s);
            Arrays.fill(s.valueGrads, 0f);
            int weightAt = weightsAt + t * p.neighbours * p.outputPlane;
            int weightGradAt = t * p.neighbours * p.outputPlane;
            for (int i0 = 0; i0 < p.outHeight; i0 += p.bandRows) {
                int rows = Math.min(p.bandRows, p.outHeight - i0);
                p.stageBand(weights, weightAt, p.neighbours, p.outputPlane, i0, rows, s.weightRows);
                p.stageBand(grad, gradAt + channel(t, 0) * p.outputPlane, group, shared * p.outputPlane, i0, rows,
                        s.gradRows);
                weightGradients(s, i0, rows, dw, weightGradAt);
                for (int r = 0; r < rows; r++) {
                    gatherValueGradients(s, i0 + r, r);
                }
            }
            for (int g = 0; g < group; g++) {
                p.fold(s.valueGrads, g * p.planeLength, dx, channel(t, g) * p.inputPlane);
            }
        }

        /**
         * dL/dw of the band of output rows {@code [i0, i0 + rows)}, eight neighbours at a time (then one),
         * plane by plane: {@code dw[m, i, j] = sum over g of G[g, i, j] x[g, neighbour m of (i, j)]}.
         */
        private void weightGradients(Scratch s, int i0, int rows, float[] dw, int dwAt) {
            PaddedPlanes p = planes;
            int gradStride = p.bandRows * p.stagedLength;
            for (int m = 0, block; m < p.neighbours; m += block) {
                boolean eight = m + BLOCK <= p.neighbours;
                block = eight ? BLOCK : 1;
                for (int r = 0; r < rows; r++) {
                    int row = p.rowStart(i0 + r);
                    int pixel = dwAt + m * p.outputPlane + (i0 + r) * p.outWidth;
                    for (int j0 : p.columnBlocks) {
                        int grad = p.staged(0, r) + j0;
                        float[] out = p.narrow ? s.sums : dw;
                        int outAt = p.narrow ? 0 : pixel + j0;
                        int outStride = p.narrow ? LANES : p.outputPlane;
                        if (eight) {
                            weightGradientsEight(s.gradRows, grad, gradStride, group, s.values, row + j0, p, m, out,
                                    outAt, outStride);
                        } else {
                            weightGradientsOne(s.gradRows, grad, gradStride, group, s.values,
                                    row + j0 + p.neighbourOffset[m], p.planeLength, out, outAt);
                        }
                        if (p.narrow) {
                            p.storeNarrow(s.sums, block, dw, pixel, p.outputPlane);
                        }
                    }
                }
            }
        }

        /**
         * Output row i's {@code w G} products (row r of the staged band) into the group's padded planes of
         * dL/dx: padded row {@code i s + a d}, column {@code j s + b d} of channel g receives
         * {@code w[a k + b, j] G[g, j]}. Per padded row, phase and block of columns, the k (or fewer) terms
         * in increasing b, eight channels at a time, then one.
         */
        private void gatherValueGradients(Scratch s, int i, int r) {
            PaddedPlanes p = planes;
            for (int a = 0; a < p.size; a++) {
                int row = (i * p.stride + a * p.dilation) * p.rowLength;
                for (int q = 0; q < p.stride; q++) {
                    int[] bs = p.phaseColumns[q];
                    if (bs.length == 0) {
                        continue;
                    }
                    for (int c0 = 0; c0 < p.gatherColumns; c0 += LANES) {
                        int at = row + q * p.phaseLength + c0;
                        int g = 0;
                        for (; g + BLOCK <= group; g += BLOCK) {
                            gatherEight(s, p, a, r, bs, c0, g, at);
                        }
                        for (; g < group; g++) {
                            gatherOne(s, p, a, r, bs, c0, g, at);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code out[outAt + g outStride ..] = sum over m of w[wAt + m wStride ..] x[g, xAt + offset m ..]} for
     * the G channels g of a group (x the group's padded planes): one chain of fused multiply-adds from 0
     * in neighbour order per channel, eight channels per weight load, then one.
     */
    private static void weightedSums(float[] w, int wAt, int wStride, float[] x, int xAt, PaddedPlanes p,
            int group, float[] out, int outAt, int outStride) {
        int[] offsets = p.neighbourOffset;
        int plane = p.planeLength;
        int g = 0;
        for (; g + BLOCK <= group; g += BLOCK) {
            int c = xAt + g * plane;
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            for (int m = 0; m < offsets.length; m++) {
                FloatVector weight = FloatVector.fromArray(FLOAT, w, wAt + m * wStride);
                int o = c + offsets[m];
                s0 = weight.fma(FloatVector.fromArray(FLOAT, x, o), s0);
                s1 = weight.fma(FloatVector.fromArray(FLOAT, x, o + plane), s1);
                s2 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 2 * plane), s2);
                s3 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 3 * plane), s3);
                s4 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 4 * plane), s4);
                s5 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 5 * plane), s5);
                s6 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 6 * plane), s6);
                s7 = weight.fma(FloatVector.fromArray(FLOAT, x, o + 7 * plane), s7);
            }
            int d = outAt + g * outStride;
            s0.intoArray(out, d);
            s1.intoArray(out, d + outStride);
            s2.intoArray(out, d + 2 * outStride);
            s3.intoArray(out, d + 3 * outStride);
            s4.intoArray(out, d + 4 * outStride);
            s5.intoArray(out, d + 5 * outStride);
            s6.intoArray(out, d + 6 * outStride);
            s7.intoArray(out, d + 7 * outStride);
        }
        for (; g < group; g++) {
            int c = xAt + g * plane;
            FloatVector sum = FloatVector.zero(FLOAT);
            for (int m = 0; m < offsets.length; m++) {
                sum = FloatVector.fromArray(FLOAT, w, wAt + m * wStride)
                        .fma(FloatVector.fromArray(FLOAT, x, c + offsets[m]), sum);
            }
            sum.intoArray(out, outAt + g * outStride);
        }
    }

    /**
     * {@code out[outAt + t outStride ..] = sum over g of G[g, gradAt ..] x[g, xAt + offset(m0 + t) ..]} for
     * the eight neighbours {@code m0 .. m0+7} of one block of pixels (G the staged gradient rows of the
     * group, g at {@code + g gradStride}; x its padded planes): one chain of fused multiply-adds from 0
     * in channel order per neighbour, eight chains per load of G.
     */
    private static void weightGradientsEight(float[] grad, int gradAt, int gradStride, int group, float[] x, int xAt,
            PaddedPlanes p, int m0, float[] out, int outAt, int outStride) {
        int[] offsets = p.neighbourOffset;
        int plane = p.planeLength;
        int o0 = xAt + offsets[m0];
        int o1 = xAt + offsets[m0 + 1];
        int o2 = xAt + offsets[m0 + 2];
        int o3 = xAt + offsets[m0 + 3];
        int o4 = xAt + offsets[m0 + 4];
        int o5 = xAt + offsets[m0 + 5];
        int o6 = xAt + offsets[m0 + 6];
        int o7 = xAt + offsets[m0 + 7];
        FloatVector s0 = FloatVector.zero(FLOAT);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        for (int g = 0, c = 0; g < group; g++, c += plane) {
            FloatVector gradient = FloatVector.fromArray(FLOAT, grad, gradAt + g * gradStride);
            s0 = gradient.fma(FloatVector.fromArray(FLOAT, x, o0 + c), s0);
            s1 = gradient.fma(FloatVector.fromArray(FLOAT, x, o1 + c), s1);
            s2 = gradient.fma(FloatVector.fromArray(FLOAT, x, o2 + c), s2);
            s3 = gradient.fma(FloatVector.fromArray(FLOAT, x, o3 + c), s3);
            s4 = gradient.fma(FloatVector.fromArray(FLOAT, x, o4 + c), s4);
            s5 = gradient.fma(FloatVector.fromArray(FLOAT, x, o5 + c), s5);
            s6 = gradient.fma(FloatVector.fromArray(FLOAT, x, o6 + c), s6);
            s7 = gradient.fma(FloatVector.fromArray(FLOAT, x, o7 + c), s7);
        }
        s0.intoArray(out, outAt);
        s1.intoArray(out, outAt + outStride);
        s2.intoArray(out, outAt + 2 * outStride);
        s3.intoArray(out, outAt + 3 * outStride);
        s4.intoArray(out, outAt + 4 * outStride);
        s5.intoArray(out, outAt + 5 * outStride);
        s6.intoArray(out, outAt + 6 * outStride);
        s7.intoArray(out, outAt + 7 * outStride);
    }

    /** {@link #weightGradientsEight} for one neighbour, whose block of x starts at {@code xAt}. */
    private static void weightGradientsOne(float[] grad, int gradAt, int gradStride, int group, float[] x, int xAt,
            int plane, float[] out, int outAt) {
        FloatVector sum = FloatVector.zero(FLOAT);
        for (int g = 0; g < group; g++) {
            sum = FloatVector.fromArray(FLOAT, grad, gradAt + g * gradStride)
                    .fma(FloatVector.fromArray(FLOAT, x, xAt + g * plane), sum);
        }
        sum.intoArray(out, outAt);
    }

    /** {@link Operands#gatherValueGradients} for channels {@code g .. g+7} at one block of padded columns. */
    private static void gatherEight(Scratch s, PaddedPlanes p, int a, int r, int[] bs, int c0, int g, int at) {
        float[] dx = s.valueGrads;
        float[] gradRows = s.gradRows;
        int plane = p.planeLength;
        int staged = p.bandRows * p.stagedLength;
        int d = at + g * plane;
        FloatVector s0 = FloatVector.fromArray(FLOAT, dx, d);
        FloatVector s1 = FloatVector.fromArray(FLOAT, dx, d + plane);
        FloatVector s2 = FloatVector.fromArray(FLOAT, dx, d + 2 * plane);
        FloatVector s3 = FloatVector.fromArray(FLOAT, dx, d + 3 * plane);
        FloatVector s4 = FloatVector.fromArray(FLOAT, dx, d + 4 * plane);
        FloatVector s5 = FloatVector.fromArray(FLOAT, dx, d + 5 * plane);
        FloatVector s6 = FloatVector.fromArray(FLOAT, dx, d + 6 * plane);
        FloatVector s7 = FloatVector.fromArray(FLOAT, dx, d + 7 * plane);
        for (int b : bs) {
            int column = c0 - p.columnShift[b];
            FloatVector weight = FloatVector.fromArray(FLOAT, s.weightRows, p.staged(a * p.size + b, r) + column);
            int o = p.staged(g, r) + column;
            s0 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o), s0);
            s1 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + staged), s1);
            s2 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 2 * staged), s2);
            s3 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 3 * staged), s3);
            s4 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 4 * staged), s4);
            s5 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 5 * staged), s5);
            s6 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 6 * staged), s6);
            s7 = weight.fma(FloatVector.fromArray(FLOAT, gradRows, o + 7 * staged), s7);
        }
        s0.intoArray(dx, d);
        s1.intoArray(dx, d + plane);
        s2.intoArray(dx, d + 2 * plane);
        s3.intoArray(dx, d + 3 * plane);
        s4.intoArray(dx, d + 4 * plane);
        s5.intoArray(dx, d + 5 * plane);
        s6.intoArray(dx, d + 6 * plane);
        s7.intoArray(dx, d + 7 * plane);
    }

    /** {@link Operands#gatherValueGradients} for channel g alone at one block of padded columns. */
    private static void gatherOne(Scratch s, PaddedPlanes p, int a, int r, int[] bs, int c0, int g, int at) {
        int d = at + g * p.planeLength;
        FloatVector sum = FloatVector.fromArray(FLOAT, s.valueGrads, d);
        for (int b : bs) {
            int column = c0 - p.columnShift[b];
            sum = FloatVector.fromArray(FLOAT, s.weightRows, p.staged(a * p.size + b, r) + column)
                    .fma(FloatVector.fromArray(FLOAT, s.gradRows, p.staged(g, r) + column), sum);
        }
        sum.intoArray(s.valueGrads, d);
    }
}
