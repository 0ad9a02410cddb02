package vista.data;

import vista.tensor.Rng;

/**
 * The Fisher-Yates shuffle (Durstenfeld's in-place form), with every random draw defined:
 * <pre>
 *   order = [0, 1, ..., n-1]
 *   for i = n-1 down to 1:
 *       j = rng.nextInt(i + 1)        (uniform on 0..i, without modulo bias)
 *       swap order[i] and order[j]
 * </pre>
 * Each of the n! orders is equally likely, and the result depends only on n and the stream's seed.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** A uniformly random permutation of {@code 0 .. n-1} drawn from {@code rng}. */
    public static int[] permutation(int n, Rng rng) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
