package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.BufferPool;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.NeighbourhoodFast.GatherScratch;
import vista.tensor.kernels.PaddedPlanes;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 kernel of {@link SubtractionKernels}: the formulas of that class on the raw float arrays of
 * contiguous tensors, {@link Vectors#LANES} output columns at a time, on the padded planes of
 * {@link PaddedPlanes}. Shapes are checked by {@link SubtractionKernels};
 * {@link SubtractionReference} is the oracle.
 *
 * <p>What differs from the reference, and why:
 * <ul>
 *   <li><b>Forward is fused</b>: a tile pads the planes of x1 and x2 of one (sample, channel), then, per
 *       neighbour and output row, subtracts a run of x2's padded plane from the run of x1's centres and
 *       writes the result once, neighbour plane after neighbour plane. No neighbourhood tensor is built;
 *       the result (k^2 floats per input float) is the only large memory traffic.</li>
 *   <li><b>Backward</b> stages G a band of output rows at a time between zeros (the one pass over G),
 *       sums each pixel's k^2 gradients for dL/dx1 (the centres), and gathers them for dL/dx2 as
 *       {@link NeighbourhoodFast} does, subtracting.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> A difference is one rounding of the same two floats, so forward has the bits of
 * the reference. dL/dx1 of a pixel is one chain of additions from 0 over its k^2 gradients in neighbour
 * order; dL/dx2 follows the order of {@link NeighbourhoodFast}. Every lane does the same operations
 * whatever the vector width, and a tile (one plane) does them whatever the thread.
 */
public final class SubtractionFast {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private SubtractionFast() {
    }

    /** {@code r[n, c, k, o] = x1[n, c, centre(o)] - x2[n, c, src_k(o)]}, one plane (n, c) per tile. */
    public static Tensor forward(Tensor x1, Tensor x2, Footprint footprint) {
        Tensor result = Tensor.unfilled(DType.FLOAT32, footprint.neighbourShape(x1.shape(), x1.dim(1)));
        forwardInto(x1, x2, footprint, result);
        return result;
    }

    /**
     * The same, written into {@code destination}: a {@code (N, C, K, L)} view whose (n, c) planes are each
     * contiguous (a channel slice of a larger tensor, say), so a caller can place the result beside other
     * channels without a copy.
     */
    public static void forwardInto(Tensor x1, Tensor x2, Footprint footprint, Tensor destination) {
        PaddedPlanes p = new PaddedPlanes(x1.shape(), footprint);
        Tensor first = x1.contiguous();
        Tensor second = x2.contiguous();
        float[] firsts = first.floats();
        float[] seconds = second.floats();
        int firstAt = first.offset();
        int secondAt = second.offset();
        float[] r = destination.floats();
        int sampleStride = destination.stride(0);
        int channelStride = destination.stride(1);
        int destinationAt = destination.offset();
        PaddedPlanes.forEachTile(p.batch * p.channels, () -> new float[2 * p.planeLength], (planes, t) -> {
            p.pad(firsts, firstAt + t * p.inputPlane, planes, 0);
            p.pad(seconds, secondAt + t * p.inputPlane, planes, p.planeLength);
            int rAt = destinationAt + t / p.channels * sampleStride + t % p.channels * channelStride;
            for (int m = 0; m < p.neighbours; m++) {
                for (int i = 0; i < p.outHeight; i++) {
                    int row = p.rowStart(i);
                    differenceRow(p, planes, row + p.centreOffset, p.planeLength + row + p.neighbourOffset[m], r,
                            rAt + m * p.outputPlane + i * p.outWidth);
                }
            }
        });
    }

    /**
     * {@code dL/dx1[centre(o)] = sum over k of G[k, o]} and {@code dL/dx2[src_k(o)] -= G[k, o]}, one plane
     * (n, c) per tile.
     */
    public static SubtractionKernels.Gradients backward(Tensor gradOutput, Shape input, Footprint footprint) {
        PaddedPlanes p = new PaddedPlanes(input, footprint);
        Tensor g = gradOutput.contiguous();
        float[] grad = g.floats();
        int gradAt = g.offset();
        Tensor first = Tensor.zeros(DType.FLOAT32, input);
        Tensor second = Tensor.zeros(DType.FLOAT32, input);
        float[] dx1 = first.floats();
        float[] dx2 = second.floats();
        PaddedPlanes.forEachTile(p.batch * p.channels, () -> new BackwardScratch(p), (s, t) -> {
            Arrays.fill(s.gather.padded, 0f);
            int planeAt = gradAt + t * p.neighbours * p.outputPlane;
            for (int i0 = 0; i0 < p.outHeight; i0 += p.bandRows) {
                int rows = Math.min(p.bandRows, p.outHeight - i0);
                p.stageBand(grad, planeAt, p.neighbours, p.outputPlane, i0, rows, s.gather.staged);
                for (int r = 0; r < rows; r++) {
                    centreGradients(p, s, i0 + r, r, dx1, t * p.inputPlane);
                    p.gatherRow(s.gather.staged, i0 + r, r, s.gather.padded, true);
                }
            }
            p.fold(s.gather.padded, 0, dx2, t * p.inputPlane);
        });
        BufferPool.discardCopy(g, gradOutput);
        return new SubtractionKernels.Gradients(first, second);
    }

    /** {@code dst[dstAt + j] = planes[centre + j] - planes[neighbour + j]} for the columns j of one output row. */
    private static void differenceRow(PaddedPlanes p, float[] planes, int centre, int neighbour, float[] dst,
            int dstAt) {
        for (int j0 : p.columnBlocks) {
            FloatVector difference = FloatVector.fromArray(FLOAT, planes, centre + j0)
                    .sub(FloatVector.fromArray(FLOAT, planes, neighbour + j0));
            if (p.narrow) {
                difference.intoArray(dst, dstAt + j0, p.narrowMask);
            } else {
                difference.intoArray(dst, dstAt + j0);
            }
        }
    }

    /**
     * Output row i's centres: the sum of its k^2 staged gradient rows (row r of the band), from 0 in
     * neighbour order, into input row {@code i s} at columns {@code j s} of the plane {@code dx1[planeAt ..]}.
     */
    private static void centreGradients(PaddedPlanes p, BackwardScratch s, int i, int r, float[] dx1, int planeAt) {
        float[] staged = s.gather.staged;
        int rowAt = planeAt + i * p.stride * p.width;
        int planeStride = p.bandRows * p.stagedLength;
        for (int j0 : p.columnBlocks) {
            FloatVector sum = FloatVector.zero(FLOAT);
            for (int m = 0, at = p.staged(0, r) + j0; m < p.neighbours; m++, at += planeStride) {
                sum = sum.add(FloatVector.fromArray(FLOAT, staged, at));
            }
            if (p.stride > 1) {
                sum.intoArray(s.sums, 0);
                for (int j = j0; j < Math.min(j0 + LANES, p.outWidth); j++) {
                    dx1[rowAt + j * p.stride] = s.sums[j - j0];
                }
            } else if (p.narrow) {
                sum.intoArray(dx1, rowAt + j0, p.narrowMask);
            } else {
                sum.intoArray(dx1, rowAt + j0);
            }
        }
    }

    /** The gather scratch of {@link NeighbourhoodFast}, and one vector of sums for strided centres. */
    private static final class BackwardScratch {
        final GatherScratch gather;
        final float[] sums = new float[LANES];

        BackwardScratch(PaddedPlanes p) {
            gather = new GatherScratch(p);
        }
    }
}
