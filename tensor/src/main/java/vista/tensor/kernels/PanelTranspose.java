package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.runtime.Vectors;

/**
 * The transposing copy of GEMM packing: lines stored along the depth (a row of A, or a column of a
 * transposed B) scattered down a micro-panel,
 * <pre>
 *   packed[to + p*width + x] = data[from + x*lineStride + p]      for x < valid, p < depth,
 * </pre>
 * in blocks of 8 lines x 8 depths transposed in registers: eight 256-bit loads, three butterfly stages
 * and eight stores move 64 values, where the element-by-element loop makes 64 loads and 64 stores to
 * addresses {@code width} floats apart. The packing of a convolution's weights (A) and of a weight
 * gradient's transposed operand (B) runs through here.
 * Lines and depths left over by the blocks are copied one by one. Only values move, so the packed panel,
 * and everything the GEMM computes from it, has the same bits either way.
 *
 * <p>A butterfly stage of half-size {@code h} takes two vectors {@code a} (line {@code i}) and {@code b}
 * (line {@code i + h}) and makes {@code lo[l] = (l & h) == 0 ? a[l] : b[l - h]} and
 * {@code hi[l] = (l & h) == 0 ? a[l + h] : b[l]}; after the stages {@code h = 4, 2, 1}, vector {@code j}
 * holds depth {@code j} of the eight lines. The blocks need 256-bit vectors; on hardware with narrower
 * ones ({@link Vectors#LANES} below 8) the copy stays element by element.
 */
final class PanelTranspose {
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    /** Whether 8-lane vectors are native here; emulated ones would be far slower than the plain loop. */
    private static final boolean BLOCKS = Vectors.LANES >= 8;
    private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromOp(EIGHT, l -> l ^ 1);
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(EIGHT, l -> l ^ 2);
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(EIGHT, l -> l ^ 4);
    private static final VectorMask<Float> BIT_1 = VectorMask.fromLong(EIGHT, 0b1010_1010);
    private static final VectorMask<Float> BIT_2 = VectorMask.fromLong(EIGHT, 0b1100_1100);
    private static final VectorMask<Float> BIT_4 = VectorMask.fromLong(EIGHT, 0b1111_0000);

    private PanelTranspose() {
    }

    /** {@code packed[to + p*width + x] = data[from + x*lineStride + p]} for {@code x < valid}, {@code p < depth}. */
    static void pack(float[] data, int from, int lineStride, int valid, int depth, int width, float[] packed, int to) {
        int blockedLines = BLOCKS ? valid - valid % 8 : 0;
        int blockedDepth = depth - depth % 8;
        for (int x0 = 0; x0 < blockedLines; x0 += 8) {
            int line = from + x0 * lineStride;
            for (int p0 = 0; p0 < blockedDepth; p0 += 8) {
                block(data, line + p0, lineStride, packed, to + p0 * width + x0, width);
            }
            copy(data, line, lineStride, 8, blockedDepth, depth, width, packed, to + x0);
        }
        copy(data, from + blockedLines * lineStride, lineStride, valid - blockedLines, 0, depth, width, packed,
                to + blockedLines);
    }

    /** Lines {@code 0 .. lines-1} (from {@code line}), depths {@code p0 .. p1-1}, element by element. */
    private static void copy(float[] data, int line, int lineStride, int lines, int p0, int p1, int width,
            float[] packed, int to) {
        for (int x = 0; x < lines; x++) {
            int source = line + x * lineStride;
            for (int p = p0; p < p1; p++) {
                packed[to + p * width + x] = data[source + p];
            }
        }
    }

    /** One 8 x 8 block: eight lines of eight depths from {@code source}, eight depths of eight lines to {@code target}. */
    private static void block(float[] data, int source, int lineStride, float[] packed, int target, int width) {
        FloatVector v0 = FloatVector.fromArray(EIGHT, data, source);
        FloatVector v1 = FloatVector.fromArray(EIGHT, data, source + lineStride);
        FloatVector v2 = FloatVector.fromArray(EIGHT, data, source + 2 * lineStride);
        FloatVector v3 = FloatVector.fromArray(EIGHT, data, source + 3 * lineStride);
        FloatVector v4 = FloatVector.fromArray(EIGHT, data, source + 4 * lineStride);
        FloatVector v5 = FloatVector.fromArray(EIGHT, data, source + 5 * lineStride);
        FloatVector v6 = FloatVector.fromArray(EIGHT, data, source + 6 * lineStride);
        FloatVector v7 = FloatVector.fromArray(EIGHT, data, source + 7 * lineStride);
        FloatVector a0 = lo(v0, v4, SWAP_4, BIT_4);
        FloatVector a4 = hi(v0, v4, SWAP_4, BIT_4);
        FloatVector a1 = lo(v1, v5, SWAP_4, BIT_4);
        FloatVector a5 = hi(v1, v5, SWAP_4, BIT_4);
        FloatVector a2 = lo(v2, v6, SWAP_4, BIT_4);
        FloatVector a6 = hi(v2, v6, SWAP_4, BIT_4);
        FloatVector a3 = lo(v3, v7, SWAP_4, BIT_4);
        FloatVector a7 = hi(v3, v7, SWAP_4, BIT_4);
        FloatVector c0 = lo(a0, a2, SWAP_2, BIT_2);
        FloatVector c2 = hi(a0, a2, SWAP_2, BIT_2);
        FloatVector c1 = lo(a1, a3, SWAP_2, BIT_2);
        FloatVector c3 = hi(a1, a3, SWAP_2, BIT_2);
        FloatVector c4 = lo(a4, a6, SWAP_2, BIT_2);
        FloatVector c6 = hi(a4, a6, SWAP_2, BIT_2);
        FloatVector c5 = lo(a5, a7, SWAP_2, BIT_2);
        FloatVector c7 = hi(a5, a7, SWAP_2, BIT_2);
        lo(c0, c1, SWAP_1, BIT_1).intoArray(packed, target);
        hi(c0, c1, SWAP_1, BIT_1).intoArray(packed, target + width);
        lo(c2, c3, SWAP_1, BIT_1).intoArray(packed, target + 2 * width);
        hi(c2, c3, SWAP_1, BIT_1).intoArray(packed, target + 3 * width);
        lo(c4, c5, SWAP_1, BIT_1).intoArray(packed, target + 4 * width);
        hi(c4, c5, SWAP_1, BIT_1).intoArray(packed, target + 5 * width);
        lo(c6, c7, SWAP_1, BIT_1).intoArray(packed, target + 6 * width);
        hi(c6, c7, SWAP_1, BIT_1).intoArray(packed, target + 7 * width);
    }

    /** The butterfly's first output: {@code a} where the lane's {@code h} bit is clear, {@code b} shifted down by h where set. */
    private static FloatVector lo(FloatVector a, FloatVector b, VectorShuffle<Float> swap, VectorMask<Float> bit) {
        return a.blend(b.rearrange(swap), bit);
    }

    /** The butterfly's second output: {@code a} shifted up by h where the lane's {@code h} bit is clear, {@code b} where set. */
    private static FloatVector hi(FloatVector a, FloatVector b, VectorShuffle<Float> swap, VectorMask<Float> bit) {
        return b.blend(a.rearrange(swap), bit.not());
    }
}
