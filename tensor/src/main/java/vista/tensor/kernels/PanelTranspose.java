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
 * Depths left over by the blocks are copied one by one, and so are lines where 8-lane vectors are not
 * native. Only values move, so the packed panel,
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

    /**
     * {@code packed[to + p*width + x] = data[from + x*lineStride + p]} for {@code x < valid}, {@code p < depth}
     * ({@code width} a multiple of 8 and at least {@code valid}). The last lines, fewer than eight, also go
     * in 8 x 8 blocks, with the last of them read again for the missing ones: columns {@code valid} up to
     * the next multiple of 8 then hold copies of column {@code valid - 1}, which callers zero or ignore.
     */
    static void pack(float[] data, int from, int lineStride, int valid, int depth, int width, float[] packed, int to) {
        int blockedLines = BLOCKS ? valid - valid % 8 : 0;
        int blockedDepth = depth - depth % 8;
        for (int x0 = 0; x0 < blockedLines; x0 += 8) {
            int line = from + x0 * lineStride;
            for (int p0 = 0; p0 < blockedDepth; p0 += 8) {
                block(data, line + p0, lineStride, 8, packed, to + p0 * width + x0, width);
            }
            copy(data, line, lineStride, 8, blockedDepth, depth, width, packed, to + x0);
        }
        int rest = valid - blockedLines;
        int line = from + blockedLines * lineStride;
        if (BLOCKS && rest > 0) {
            for (int p0 = 0; p0 < blockedDepth; p0 += 8) {
                block(data, line + p0, lineStride, rest, packed, to + p0 * width + blockedLines, width);
            }
            copy(data, line, lineStride, rest, blockedDepth, depth, width, packed, to + blockedLines);
        } else {
            copy(data, line, lineStride, rest, 0, depth, width, packed, to + blockedLines);
        }
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

    /**
     * One 8 x 8 block: eight lines of eight depths from {@code source}, eight depths of eight lines to
     * {@code target}; of the lines only the first {@code lines} (1 to 8) are read, the last of them again
     * in place of the others.
     */
    private static void block(float[] data, int source, int lineStride, int lines, float[] packed, int target,
            int width) {
        int last = lines - 1;
        FloatVector v0 = FloatVector.fromArray(EIGHT, data, source);
        FloatVector v1 = FloatVector.fromArray(EIGHT, data, source + Math.min(1, last) * lineStride);
        FloatVector v2 = FloatVector.fromArray(EIGHT, data, source + Math.min(2, last) * lineStride);
        FloatVector v3 = FloatVector.fromArray(EIGHT, data, source + Math.min(3, last) * lineStride);
        FloatVector v4 = FloatVector.fromArray(EIGHT, data, source + Math.min(4, last) * lineStride);
        FloatVector v5 = FloatVector.fromArray(EIGHT, data, source + Math.min(5, last) * lineStride);
        FloatVector v6 = FloatVector.fromArray(EIGHT, data, source + Math.min(6, last) * lineStride);
        FloatVector v7 = FloatVector.fromArray(EIGHT, data, source + Math.min(7, last) * lineStride);
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
