package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Parallel;
import vista.tensor.geometry.Footprint.Padding;

/**
 * What the tests of SAN's three local operators ({@link AggregationTest}, {@link SubtractionTest},
 * {@link NeighbourhoodTest}) share: one catalogue of awkward problems, the tolerance of the fast kernels
 * against the double references, the 3 x 3 image of the hand computations, the problems of their width
 * probes ({@link WidthProbes}) and the check that fast results have the same bits for any thread count.
 */
final class SanCases {
    /**
     * Tolerance of a float32 fast result against the double reference, relative to the largest magnitude
     * of the result compared: sums of at most 49 products (or, for dL/dx, of at most 4 x 49 reflected
     * ones) round a few dozen times; the worst error seen over the catalogue is about 2^-21.5 of that
     * magnitude. 1e-5 (about 2^-16.6) leaves room and still catches one wrong or missing neighbour.
     */
    static final double RELATIVE_TOLERANCE = 1e-5;

    private SanCases() {
    }

    /**
     * One problem: input {@code (N, C, H, W)}, a footprint and, for aggregation, {@code Cw} weight
     * channels (the other operators ignore it).
     */
    record Case(String name, int batch, int channels, int shared, int height, int width, Footprint footprint) {
        Shape input() {
            return Shape.of(batch, channels, height, width);
        }

        /** {@code (N, C, H_out, W_out)}. */
        Shape output() {
            return AggregationKernels.outputShape(input(), footprint);
        }

        /** {@code (N, channels, K, L)}. */
        Shape neighbours(int neighbourChannels) {
            return footprint.neighbourShape(input(), neighbourChannels);
        }

        @Override
        public String toString() {
            return name + ": " + footprint + " on " + input() + ", Cw = " + shared;
        }
    }

    private static Case of(String name, int batch, int channels, int shared, int height, int width, int size,
            int stride, int dilation, Padding padding) {
        return new Case(name, batch, channels, shared, height, width,
                new Footprint(size, stride, dilation, padding));
    }

    /**
     * Sizes k = 1, 3, 5, 7; both paddings; strides 2 and 3; dilations 2 and 3; rows shorter than a
     * vector, and of 33 or 56 columns; groups of 1, 2, 3, 8 and 9 channels; reflection of the most pixels
     * allowed (pad = size - 1).
     */
    static Stream<Case> catalogue() {
        return Stream.of(
                of("k=1: only the centre", 2, 4, 2, 5, 6, 1, 1, 1, Padding.REFLECT),
                of("k=1, stride 2: odd pixels unread", 1, 4, 4, 8, 9, 1, 2, 1, Padding.ZERO),
                of("3x3 on 7x10, groups of 8", 2, 16, 2, 7, 10, 3, 1, 1, Padding.REFLECT),
                of("3x3 on 5x9, zero padding, Cw = C", 1, 8, 8, 5, 9, 3, 1, 1, Padding.ZERO),
                of("5x5 on 9x11, Cw = 1, a group of 9", 2, 9, 1, 9, 11, 5, 1, 1, Padding.REFLECT),
                of("5x5 on 6x17, zero padding, groups of 2", 1, 8, 4, 6, 17, 5, 1, 1, Padding.ZERO),
                of("7x7 on 10x56 like SAN, groups of 8", 1, 16, 2, 10, 56, 7, 1, 1, Padding.REFLECT),
                of("7x7 on 6x19, zero padding, groups of 3", 2, 6, 2, 6, 19, 7, 1, 1, Padding.ZERO),
                of("7x7 on 4x4: pad = size - 1", 1, 8, 1, 4, 4, 7, 1, 1, Padding.REFLECT),
                of("3x3 dilation 3 on 4x5: pad = size - 1", 1, 3, 3, 4, 5, 3, 1, 3, Padding.REFLECT),
                of("3 columns, less than one vector", 2, 8, 8, 6, 3, 3, 1, 1, Padding.REFLECT),
                of("33 columns", 1, 4, 2, 3, 33, 3, 1, 1, Padding.REFLECT),
                of("1x1 image, zero padding", 1, 4, 2, 1, 1, 3, 1, 1, Padding.ZERO),
                of("3x3 stride 2 on 7x10", 2, 8, 2, 7, 10, 3, 2, 1, Padding.REFLECT),
                of("5x5 stride 2 on 8x9, zero padding", 1, 8, 1, 8, 9, 5, 2, 1, Padding.ZERO),
                of("3x3 dilation 2 on 9x13", 2, 8, 4, 9, 13, 3, 1, 2, Padding.REFLECT),
                of("3x3 stride 2 dilation 2, zero padding", 1, 4, 2, 7, 8, 3, 2, 2, Padding.ZERO),
                of("5x5 stride 3 dilation 2 on 9x11", 1, 4, 1, 9, 11, 5, 3, 2, Padding.REFLECT),
                of("7x7 dilation 3 on 19x21: neighbours 18 columns apart", 1, 4, 2, 19, 21, 7, 1, 3, Padding.REFLECT),
                of("7x7 dilation 3 stride 2, zero padding", 2, 3, 3, 12, 23, 7, 2, 3, Padding.ZERO),
                of("7x7 stride 2 on 40x37", 1, 8, 1, 40, 37, 7, 2, 1, Padding.REFLECT));
    }

    /** |fast - reference| <= RELATIVE_TOLERANCE * (largest |reference|) for every element. */
    static void assertClose(Tensor reference, Tensor fast, String what) {
        assertEquals(DType.FLOAT32, fast.dtype(), what + ": dtype");
        double largest = 0;
        for (double x : reference.toDoubleArray()) {
            largest = Math.max(largest, Math.abs(x));
        }
        double[] tolerance = new double[reference.numel()];
        Arrays.fill(tolerance, largest * RELATIVE_TOLERANCE + Float.MIN_NORMAL);
        KernelTesting.assertClose(reference, fast, tolerance, what);
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

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /** A hash of the float bits of each tensor. */
    static List<String> hashes(Tensor... results) {
        List<String> out = new ArrayList<>();
        for (Tensor t : results) {
            out.add(WidthProbes.hash(t));
        }
        return out;
    }

    /** The cases the width probes compute: rows that end mid-vector at every width, and a stride. */
    static List<Case> probeCases() {
        return List.of(
                of("probe 5x5 reflect", 2, 16, 2, 9, 21, 5, 1, 1, Padding.REFLECT),
                of("probe 3x3 zero stride 2", 1, 6, 3, 8, 37, 3, 2, 1, Padding.ZERO),
                of("probe 3x3 dilation 2", 1, 8, 8, 13, 11, 3, 1, 2, Padding.REFLECT));
    }

    /** The fast results for 2, 3 and 4 threads have the bits of those for one. */
    static void assertSameBitsForAnyThreadCount(Supplier<Tensor[]> results, String what) {
        Tensor[] one = Parallel.withThreads(1, results);
        for (int threads : new int[] {2, 3, 4}) {
            assertSameResults(one, Parallel.withThreads(threads, results), what + " with " + threads + " threads");
        }
    }

    /** Each tensor of {@code actual} has the bits of the same one of {@code expected}. */
    static void assertSameResults(Tensor[] expected, Tensor[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            KernelTesting.assertSameFloats(expected[i], actual[i], what + ", result " + i);
        }
    }
}
