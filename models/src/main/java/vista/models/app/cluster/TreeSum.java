package vista.models.app.cluster;

import java.util.function.IntFunction;

/**
 * The one order in which shard values are added, so that a sum has the same bits in one process and on
 * any number of workers: the recursive halving tree over the ids [0, n),
 * <pre>
 *   sum(lo, hi) = leaf(lo)                                   if hi - lo = 1
 *   sum(lo, hi) = sum(lo, mid) + sum(mid, hi),  mid = lo + floor((hi - lo) / 2)   otherwise
 * </pre>
 * element by element in float32. When W is a power of two that divides n, the subtrees at depth
 * log2(W) are exactly the W contiguous blocks [r n / W, (r + 1) n / W), and the tree above them is the
 * same recursive halving over the block ids [0, W): so W workers that each sum their own block, then
 * combine the W block sums with {@link #of(int, IntFunction)} over ranks, get the bits of one process's
 * sum over all n shards.
 *
 * <p>Leaves are asked for in order, lo to hi - 1, and at most one partial sum per tree level is alive,
 * so a block of m shards holds about log2(m) + 1 vectors at a time.
 */
public final class TreeSum {
    private TreeSum() {
    }

    /**
     * The tree sum of {@code leaf(0)} to {@code leaf(n - 1)}, each a list of float arrays of equal
     * shapes; the arrays returned are leaves' arrays, added into.
     */
    public static float[][] of(int n, IntFunction<float[][]> leaf) {
        if (n < 1) {
            throw new IllegalArgumentException("TreeSum: need at least one leaf, got " + n);
        }
        return sum(0, n, leaf);
    }

    private static float[][] sum(int lo, int hi, IntFunction<float[][]> leaf) {
        if (hi - lo == 1) {
            return leaf.apply(lo);
        }
        int mid = lo + (hi - lo) / 2;
        float[][] left = sum(lo, mid, leaf);
        float[][] right = sum(mid, hi, leaf);
        addInto(left, right);
        return left;
    }

    /** {@code into[i][j] += add[i][j]} for all i and j. */
    public static void addInto(float[][] into, float[][] add) {
        if (into.length != add.length) {
            throw new IllegalArgumentException("TreeSum: " + into.length + " arrays cannot be added to " + add.length);
        }
        for (int i = 0; i < into.length; i++) {
            float[] a = into[i];
            float[] b = add[i];
            if (a.length != b.length) {
                throw new IllegalArgumentException("TreeSum: array " + i + " has " + a.length + " values here and "
                        + b.length + " there");
            }
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        }
    }

    /** The same tree over doubles (shard losses), so that the reported mean loss does not depend on W. */
    public static double of(double[] leaves) {
        return sum(leaves, 0, leaves.length);
    }

    private static double sum(double[] leaves, int lo, int hi) {
        if (hi - lo == 1) {
            return leaves[lo];
        }
        int mid = lo + (hi - lo) / 2;
        return sum(leaves, lo, mid) + sum(leaves, mid, hi);
    }

    /** True if {@code n} is a power of two (1, 2, 4, ...). */
    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }
}
