package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.runtime.Vectors;

/**
 * The summation order that makes Vista's float reductions independent of the vector width.
 *
 * <p>A sequence {@code x_0, x_1, ...} is summed into {@value #COUNT} logical accumulators: element
 * {@code i} goes to accumulator {@code i mod 16}, each accumulator adding its elements in increasing
 * {@code i}. The hardware holds them as one 16-lane vector, two of 8 or four of 4 lanes; the bits are
 * the same in every case, and the same as a scalar loop doing the same thing. The accumulators are then
 * combined by one fixed tree:
 * <pre>
 *   (((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7))) + (((a8+a9)+(a10+a11))+((a12+a13)+(a14+a15)))
 * </pre>
 * Reductions, softmax and batch normalisation all follow this order, so a result computed on a machine
 * with 128-bit vectors has the bits of one computed with 512-bit vectors.
 */
final class LogicalLanes {
    /** Number of logical accumulators, fixed whatever the hardware's lane count. */
    static final int COUNT = 16;

    private static final VectorSpecies<Float> S = Vectors.FLOAT;

    private LogicalLanes() {
    }

    /** The fixed tree over the 16 accumulators {@code s[at .. at + 16)}. */
    static float sumTree(float[] s, int at) {
        float low = ((s[at] + s[at + 1]) + (s[at + 2] + s[at + 3]))
                + ((s[at + 4] + s[at + 5]) + (s[at + 6] + s[at + 7]));
        float high = ((s[at + 8] + s[at + 9]) + (s[at + 10] + s[at + 11]))
                + ((s[at + 12] + s[at + 13]) + (s[at + 14] + s[at + 15]));
        return low + high;
    }

    /** The largest of the 16 accumulators {@code s[0 .. 16)} (any order gives the same result). */
    static float maxTree(float[] s) {
        return Math.max(Math.max(Math.max(Math.max(s[0], s[1]), Math.max(s[2], s[3])),
                        Math.max(Math.max(s[4], s[5]), Math.max(s[6], s[7]))),
                Math.max(Math.max(Math.max(s[8], s[9]), Math.max(s[10], s[11])),
                        Math.max(Math.max(s[12], s[13]), Math.max(s[14], s[15]))));
    }

    /**
     * Lane by lane, the fixed tree over 16 accumulators stored as vectors at {@code s[at + j * stride]},
     * j = 0..15 (several independent sums side by side, one per lane).
     */
    static FloatVector sumTreeOfLanes(float[] s, int at, int stride) {
        FloatVector low = slot(s, at, stride, 0).add(slot(s, at, stride, 1))
                .add(slot(s, at, stride, 2).add(slot(s, at, stride, 3)))
                .add(slot(s, at, stride, 4).add(slot(s, at, stride, 5))
                        .add(slot(s, at, stride, 6).add(slot(s, at, stride, 7))));
        FloatVector high = slot(s, at, stride, 8).add(slot(s, at, stride, 9))
                .add(slot(s, at, stride, 10).add(slot(s, at, stride, 11)))
                .add(slot(s, at, stride, 12).add(slot(s, at, stride, 13))
                        .add(slot(s, at, stride, 14).add(slot(s, at, stride, 15))));
        return low.add(high);
    }

    private static FloatVector slot(float[] s, int at, int stride, int accumulator) {
        return FloatVector.fromArray(S, s, at + accumulator * stride);
    }
}
