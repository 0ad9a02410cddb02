package vista.tensor.kernels;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * Per-channel affine maps over {@code (N, C, P)} tensors, the elementwise steps of a BatchNorm whose
 * statistics are already known (SAN's recomputed weight mapping runs them on every chunk):
 * <pre>
 *   scaleShiftRelu:  y[n, c, p] = max(0, s[c] x[n, c, p] + t[c])
 *   combine:         y[n, c, p] = a[c] g[n, c, p] + b[c] x[n, c, p] + k[c]
 *   keepWherePositive: g[n, c, p] = g[n, c, p] if x[n, c, p] > 0, else 0      (in place)
 * </pre>
 * The (n, c) rows of scaleShiftRelu and combine are spread over {@link Tiles} (each row is written by one
 * tile). float32 tensors run a Vector API loop along p, float64 ones a plain loop; both evaluate the same
 * expression in the same order (multiplications, then additions left to right, no fused multiply-add), so
 * the lanes and the scalar tail agree bit for bit and the results do not depend on the vector width.
 */
public final class ChannelAffine {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    /** Values per tile of {@link #forEachRun}: enough work to be worth a thread. */
    private static final long RUN_GRAIN = 1 << 16;

    private ChannelAffine() {
    }

    /** {@code max(0, s[c] x + t[c])}, a new tensor. */
    public static Tensor scaleShiftRelu(Tensor x, double[] s, double[] t) {
        Tensor in = checked(x, s.length);
        Tensor out = Tensor.unfilled(in.dtype(), in.shape());     // every element is written below
        int channels = s.length;
        int positions = in.dim(2);
        forEachRun(in.dim(0) * channels, positions, run -> {
            int c = run % channels;
            int at = run * positions;
            if (in.dtype() == DType.FLOAT32) {
                float[] xs = in.floats();
                float[] ys = out.floats();
                int from = in.offset() + at;
                float scale = (float) s[c];
                float shift = (float) t[c];
                int i = 0;
                for (; i <= positions - LANES; i += LANES) {
                    FloatVector.fromArray(FLOAT, xs, from + i).mul(scale).add(shift).max(0f).intoArray(ys, at + i);
                }
                for (; i < positions; i++) {
                    ys[at + i] = Math.max(xs[from + i] * scale + shift, 0f);
                }
            } else {
                for (int i = 0; i < positions; i++) {
                    out.storage().set(at + i, Math.max(s[c] * in.storage().get(in.offset() + at + i) + t[c], 0));
                }
            }
        });
        return out;
    }

    /** {@code a[c] g + b[c] x + k[c]}, a new tensor; g and x have the same shape. */
    public static Tensor combine(Tensor g, double[] a, Tensor x, double[] b, double[] k) {
        Tensor gs = checked(g, a.length);
        Tensor xs = checked(x, a.length);
        if (!gs.shape().equals(xs.shape())) {
            throw new IllegalArgumentException("ChannelAffine.combine: shapes differ, " + g.shape() + " and " + x.shape());
        }
        Tensor out = Tensor.unfilled(gs.dtype(), gs.shape());     // every element is written below
        int channels = a.length;
        int positions = gs.dim(2);
        boolean floats = gs.dtype() == DType.FLOAT32 && xs.dtype() == DType.FLOAT32;
        forEachRun(gs.dim(0) * channels, positions, run -> {
            int c = run % channels;
            int at = run * positions;
            if (floats) {
                float[] gf = gs.floats();
                float[] xf = xs.floats();
                float[] yf = out.floats();
                int gAt = gs.offset() + at;
                int xAt = xs.offset() + at;
                float ac = (float) a[c];
                float bc = (float) b[c];
                float kc = (float) k[c];
                int i = 0;
                for (; i <= positions - LANES; i += LANES) {
                    FloatVector.fromArray(FLOAT, gf, gAt + i).mul(ac)
                            .add(FloatVector.fromArray(FLOAT, xf, xAt + i).mul(bc)).add(kc).intoArray(yf, at + i);
                }
                for (; i < positions; i++) {
                    yf[at + i] = ac * gf[gAt + i] + bc * xf[xAt + i] + kc;
                }
            } else {
                for (int i = 0; i < positions; i++) {
                    out.storage().set(at + i, a[c] * gs.storage().get(gs.offset() + at + i)
                            + b[c] * xs.storage().get(xs.offset() + at + i) + k[c]);
                }
            }
        });
        return out;
    }

    /** Sets {@code g} to 0 wherever {@code x <= 0}; g must be contiguous and is changed in place. */
    public static Tensor keepWherePositive(Tensor g, Tensor x) {
        Tensor xs = x.contiguous();
        if (!g.isContiguous() || !g.shape().equals(xs.shape())) {
            throw new IllegalArgumentException("ChannelAffine.keepWherePositive: needs a contiguous g of x's shape, got "
                    + g.shape() + " and " + x.shape());
        }
        int n = g.numel();
        if (g.dtype() == DType.FLOAT32 && xs.dtype() == DType.FLOAT32) {
            float[] gf = g.floats();
            float[] xf = xs.floats();
            int gAt = g.offset();
            int xAt = xs.offset();
            int i = 0;
            for (; i <= n - LANES; i += LANES) {
                FloatVector v = FloatVector.fromArray(FLOAT, gf, gAt + i);
                v.blend(0f, FloatVector.fromArray(FLOAT, xf, xAt + i).compare(VectorOperators.GT, 0f).not())
                        .intoArray(gf, gAt + i);
            }
            for (; i < n; i++) {
                if (!(xf[xAt + i] > 0)) {
                    gf[gAt + i] = 0;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!(xs.storage().get(xs.offset() + i) > 0)) {
                    g.storage().set(g.offset() + i, 0);
                }
            }
        }
        return g;
    }

    /**
     * Runs {@code body} for every run {@code 0 .. runs-1} (one (n, c) row of {@code positions} values), in
     * tiles of whole runs chosen from the shape only; each run writes its own output row.
     */
    private static void forEachRun(int runs, int positions, IntConsumer body) {
        int perTile = (int) Math.max(1, RUN_GRAIN / Math.max(1, positions));
        Tiles.forEach(Tiles.count(runs, perTile), tile -> {
            for (int run = tile * perTile, end = Math.min(runs, run + perTile); run < end; run++) {
                body.accept(run);
            }
        });
    }

    private static Tensor checked(Tensor t, int channels) {
        if (t.rank() != 3 || t.dim(1) != channels) {
            throw new IllegalArgumentException("ChannelAffine: expected (N, " + channels + ", P), got " + t.shape());
        }
        return t.contiguous();
    }
}
