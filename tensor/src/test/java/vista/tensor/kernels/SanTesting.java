package vista.tensor.kernels;

import vista.tensor.Tensor;

/**
 * What the tests of SAN's three local operators ({@link AggregationTest}, {@link SubtractionTest},
 * {@link NeighbourhoodTest}) share beyond the {@link OpCatalogue}: the 3 x 3 image of the hand
 * computations and its corner's neighbours under each padding.
 */
final class SanTesting {
    private SanTesting() {
    }

    /** The image {@code [[1, 2, 3], [4, 5, 6], [7, 8, 9]]} as a (1, 1, 3, 3) tensor. */
    static Tensor oneToNine() {
        return Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    }

    /**
     * The 3 x 3 neighbours of the top-left pixel of {@link #oneToNine()} under reflection, row by row:
     * input rows -1, 0, 1 are rows 1, 0, 1, and likewise the columns.
     */
    static final double[] CORNER_REFLECTED = {5, 4, 5, 2, 1, 2, 5, 4, 5};

    /** The same under zero padding. */
    static final double[] CORNER_ZERO = {0, 0, 0, 0, 1, 2, 0, 4, 5};

    /** Neighbour k of output pixel o of a (1, C', K, L) tensor, for every k. */
    static double[] neighboursOf(Tensor t, int o) {
        double[] values = new double[t.dim(2)];
        for (int k = 0; k < values.length; k++) {
            values[k] = t.get(0, 0, k, o);
        }
        return values;
    }
}
