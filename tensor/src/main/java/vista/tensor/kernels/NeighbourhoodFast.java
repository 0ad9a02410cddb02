package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 kernel of {@link NeighbourhoodKernels}, and the padded planes that the fast kernels of all
 * three SAN operators ({@link AggregationFast}, {@link SubtractionFast}) work on. Shapes are checked by
 * {@link NeighbourhoodKernels}; {@link NeighbourhoodReference} is the oracle.
 *
 * <p>What differs from the reference, and why:
 * <ul>
 *   <li><b>Padded planes</b> ({@link PaddedPlanes}). A tile first copies its input plane into a plane
 *       that already holds the border: the reflected pixels, or zeros. Every neighbour read is then a
 *       plain load, with no test per pixel, and reflection costs one copy instead of a branch per read.
 *       Under a stride s the padded columns are stored split by phase (column p at {@code (p mod s,
 *       p / s)}), so the same neighbour of consecutive output pixels is again one contiguous run.</li>
 *   <li><b>Lanes run along the output columns j.</b> Forward copies, for each neighbour and output row,
 *       one contiguous run of the padded plane into one contiguous run of the result.</li>
 *   <li><b>Backward in gather form.</b> Instead of scattering each {@code G[k, o]} to its source, each
 *       padded row {@code i s + a d} gathers, per block of {@link Vectors#LANES} padded columns, the
 *       gradients of output row i's neighbours {@code (a, b)}, b = 0..k-1, from G's rows staged between
 *       zeros (a band of output rows at a time, see {@link PaddedPlanes#stageBand}). A block of results
 *       is then one vector add per neighbour instead of a read-modify-write per neighbour. Finally the
 *       border cells of the padded plane are folded onto the pixels they reflect (rows, then columns),
 *       or dropped under zero padding.</li>
 *   <li><b>Tiles</b> are planes (sample, channel); each has its own padded plane.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Every lane does the same operations whatever the vector width and the tile:
 * a cell of the padded plane adds the gradients it receives in the order (output row i, then column
 * offset b), from 0, and lanes past the end of a row add staged zeros, which change nothing. The fold
 * adds in a fixed order. A tile writes only its own plane. So the bits depend neither on the thread
 * count nor on the vector width.
 */
public final class NeighbourhoodFast {
    private NeighbourhoodFast() {
    }

    /** {@code u[n, c, k, o] = x[n, c, src_k(o)]}: per neighbour and output row, one run of the padded plane. */
    public static Tensor forward(Tensor x, Footprint footprint) {
        PaddedPlanes p = new PaddedPlanes(x.shape(), footprint);
        Tensor input = x.contiguous();
        float[] xs = input.floats();
        int xAt = input.offset();
        Tensor result = Tensor.zeros(DType.FLOAT32, footprint.neighbourShape(x.shape(), p.channels));
        float[] u = result.floats();
        PaddedPlanes.forEachTile(p.batch * p.channels, () -> new float[p.planeLength], (plane, t) -> {
            p.pad(xs, xAt + t * p.inputPlane, plane, 0);
            int uAt = t * p.neighbours * p.outputPlane;
            for (int m = 0; m < p.neighbours; m++) {
                for (int i = 0; i < p.outHeight; i++) {
                    PaddedPlanes.copyRun(plane, p.rowStart(i) + p.neighbourOffset[m], u,
                            uAt + m * p.outputPlane + i * p.outWidth, p.outWidth);
                }
            }
        });
        return result;
    }

    /** {@code dL/dx[n, c, src_k(o)] += G[n, c, k, o]}, gathered per padded row, then folded. */
    public static Tensor backward(Tensor gradOutput, Shape input, Footprint footprint) {
        PaddedPlanes p = new PaddedPlanes(input, footprint);
        Tensor g = gradOutput.contiguous();
        float[] grad = g.floats();
        int gradAt = g.offset();
        Tensor result = Tensor.zeros(DType.FLOAT32, input);
        float[] dx = result.floats();
        PaddedPlanes.forEachTile(p.batch * p.channels, () -> new GatherScratch(p), (s, t) -> {
            Arrays.fill(s.padded, 0f);
            int planeAt = gradAt + t * p.neighbours * p.outputPlane;
            for (int i0 = 0; i0 < p.outHeight; i0 += p.bandRows) {
                int rows = Math.min(p.bandRows, p.outHeight - i0);
                p.stageBand(grad, planeAt, p.neighbours, p.outputPlane, i0, rows, s.staged);
                for (int r = 0; r < rows; r++) {
                    p.gatherRow(s.staged, i0 + r, r, s.padded, false);
                }
            }
            p.fold(s.padded, 0, dx, t * p.inputPlane);
        });
        return result;
    }

    /** A padded plane of gradients and the k^2 staged gradient planes of one band of output rows. */
    static final class GatherScratch {
        final float[] padded;
        final float[] staged;

        GatherScratch(PaddedPlanes p) {
            padded = new float[p.planeLength];
            staged = new float[p.stagedSize(p.neighbours)];
        }
    }
}
