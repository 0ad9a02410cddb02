package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 kernels of {@link AddReluKernels}: the Vector API over contiguous copies of the
 * operands, in tiles of {@value #TILE} consecutive elements (a number fixed from the size, never from the
 * thread count), the last partial vector of a tile masked. Every element is computed on its own with the
 * operations of {@link ElementwiseFast} (a correctly rounded float add, the ReLU's blend of 0 where the
 * value is {@code <= 0}, a float multiply by 1 or 0), so the results do not depend on the thread count or
 * the vector width and are the reference's bits.
 */
final class AddReluFast {
    /** Elements per tile. */
    private static final int TILE = 1 << 14;
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private AddReluFast() {
    }

    /** {@link AddReluKernels#forward} for float32. */
    static Tensor forward(Tensor a, Tensor b) {
        Tensor ac = a.contiguous();
        Tensor bc = b.contiguous();
        float[] x = ac.floats();
        float[] y = bc.floats();
        int xFrom = ac.offset();
        int yFrom = bc.offset();
        Tensor output = Tensor.unfilled(DType.FLOAT32, a.shape());
        float[] out = output.floats();
        int n = output.numel();
        FloatVector zero = FloatVector.zero(S);
        Tiles.forEach(Tiles.count(n, TILE), t -> {
            int end = Math.min(n, (t + 1) * TILE);
            int i = t * TILE;
            for (; i <= end - LANES; i += LANES) {
                FloatVector sum = FloatVector.fromArray(S, x, xFrom + i).add(FloatVector.fromArray(S, y, yFrom + i));
                sum.blend(zero, sum.compare(VectorOperators.LE, 0f)).intoArray(out, i);
            }
            if (i < end) {
                VectorMask<Float> inRange = S.indexInRange(i, end);
                FloatVector sum = FloatVector.fromArray(S, x, xFrom + i, inRange)
                        .add(FloatVector.fromArray(S, y, yFrom + i, inRange));
                sum.blend(zero, sum.compare(VectorOperators.LE, 0f)).intoArray(out, i, inRange);
            }
        });
        return output;
    }

    /** {@link AddReluKernels#maskedGradient} for float32. */
    static Tensor maskedGradient(Tensor g, Tensor z) {
        Tensor gc = g.contiguous();
        Tensor zc = z.contiguous();
        float[] gs = gc.floats();
        float[] zs = zc.floats();
        int gFrom = gc.offset();
        int zFrom = zc.offset();
        Tensor output = Tensor.unfilled(DType.FLOAT32, g.shape());
        float[] out = output.floats();
        int n = output.numel();
        FloatVector zero = FloatVector.zero(S);
        Tiles.forEach(Tiles.count(n, TILE), t -> {
            int end = Math.min(n, (t + 1) * TILE);
            int i = t * TILE;
            for (; i <= end - LANES; i += LANES) {
                VectorMask<Float> positive = FloatVector.fromArray(S, zs, zFrom + i).compare(VectorOperators.GT, 0f);
                FloatVector.fromArray(S, gs, gFrom + i).mul(zero.blend(1f, positive)).intoArray(out, i);
            }
            if (i < end) {
                VectorMask<Float> inRange = S.indexInRange(i, end);
                VectorMask<Float> positive = FloatVector.fromArray(S, zs, zFrom + i, inRange)
                        .compare(VectorOperators.GT, 0f);
                FloatVector.fromArray(S, gs, gFrom + i, inRange).mul(zero.blend(1f, positive))
                        .intoArray(out, i, inRange);
            }
        });
        return output;
    }
}
