package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.SAN_AGGREGATION;
import static vista.tensor.kernels.OpCatalogue.SAN_NEIGHBOURHOOD;
import static vista.tensor.kernels.OpCatalogue.SAN_SUBTRACTION2;

import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for SAN's local operators. */
final class SanEntries {
    private SanEntries() {
    }

    /**
     * Tolerance of a float32 fast SAN result against the double reference, relative to the largest
     * magnitude of the result compared: sums of at most 49 products (or, for dL/dx, of at most 4 x 49
     * reflected ones) round a few dozen times; the worst error seen over these problems is about 2^-21.5 of
     * that magnitude. 1e-5 (about 2^-16.6) leaves room and still catches one wrong or missing neighbour.
     */
    static final double SAN_TOLERANCE = 1e-5;

    /**
     * One SAN problem: input {@code (N, C, H, W)}, a footprint and, for aggregation, {@code Cw} weight
     * channels (the other operators ignore it).
     */
    record San(Footprint footprint, int batch, int channels, int shared, int height, int width) {
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
            return footprint + " on " + input() + ", Cw = " + shared;
        }
    }

    /**
     * Sizes k = 1, 3, 5, 7; both paddings; strides 2 and 3; dilations 2 and 3; rows shorter than a
     * vector, and of 33 or 56 columns; groups of 1, 2, 3, 8 and 9 channels; reflection of the most pixels
     * allowed (pad = size - 1). The width problems have rows that end mid-vector at every width, and a
     * stride.
     */
    private static OpEntry<San> sanProblems(OpEntry<San> entry) {
        san(entry, "k=1: only the centre", 2, 4, 2, 5, 6, 1, 1, 1, Padding.REFLECT);
        san(entry, "k=1, stride 2: odd pixels unread", 1, 4, 4, 8, 9, 1, 2, 1, Padding.ZERO);
        san(entry, "3x3 on 7x10, groups of 8", 2, 16, 2, 7, 10, 3, 1, 1, Padding.REFLECT);
        san(entry, "3x3 on 5x9, zero padding, Cw = C", 1, 8, 8, 5, 9, 3, 1, 1, Padding.ZERO);
        san(entry, "5x5 on 9x11, Cw = 1, a group of 9", 2, 9, 1, 9, 11, 5, 1, 1, Padding.REFLECT);
        san(entry, "5x5 on 6x17, zero padding, groups of 2", 1, 8, 4, 6, 17, 5, 1, 1, Padding.ZERO);
        san(entry, "7x7 on 10x56 like SAN, groups of 8", 1, 16, 2, 10, 56, 7, 1, 1, Padding.REFLECT);
        san(entry, "7x7 on 6x19, zero padding, groups of 3", 2, 6, 2, 6, 19, 7, 1, 1, Padding.ZERO);
        san(entry, "7x7 on 4x4: pad = size - 1", 1, 8, 1, 4, 4, 7, 1, 1, Padding.REFLECT);
        san(entry, "3x3 dilation 3 on 4x5: pad = size - 1", 1, 3, 3, 4, 5, 3, 1, 3, Padding.REFLECT);
        san(entry, "3 columns, less than one vector", 2, 8, 8, 6, 3, 3, 1, 1, Padding.REFLECT);
        san(entry, "33 columns", 1, 4, 2, 3, 33, 3, 1, 1, Padding.REFLECT);
        san(entry, "1x1 image, zero padding", 1, 4, 2, 1, 1, 3, 1, 1, Padding.ZERO);
        san(entry, "3x3 stride 2 on 7x10", 2, 8, 2, 7, 10, 3, 2, 1, Padding.REFLECT);
        san(entry, "5x5 stride 2 on 8x9, zero padding", 1, 8, 1, 8, 9, 5, 2, 1, Padding.ZERO);
        san(entry, "3x3 dilation 2 on 9x13", 2, 8, 4, 9, 13, 3, 1, 2, Padding.REFLECT);
        san(entry, "3x3 stride 2 dilation 2, zero padding", 1, 4, 2, 7, 8, 3, 2, 2, Padding.ZERO);
        san(entry, "5x5 stride 3 dilation 2 on 9x11", 1, 4, 1, 9, 11, 5, 3, 2, Padding.REFLECT);
        san(entry, "7x7 dilation 3 on 19x21: neighbours 18 columns apart", 1, 4, 2, 19, 21, 7, 1, 3, Padding.REFLECT);
        san(entry, "7x7 dilation 3 stride 2, zero padding", 2, 3, 3, 12, 23, 7, 2, 3, Padding.ZERO);
        san(entry, "7x7 stride 2 on 40x37", 1, 8, 1, 40, 37, 7, 2, 1, Padding.REFLECT);
        entry.widthProblem("5x5 reflect", new San(Footprint.of(5), 2, 16, 2, 9, 21))
                .widthProblem("3x3 zero stride 2", new San(new Footprint(3, 2, 1, Padding.ZERO), 1, 6, 3, 8, 37))
                .widthProblem("3x3 dilation 2", new San(new Footprint(3, 1, 2, Padding.REFLECT), 1, 8, 8, 13, 11));
        return entry;
    }

    private static void san(OpEntry<San> entry, String name, int batch, int channels, int shared, int height, int width,
            int size, int stride, int dilation, Padding padding) {
        San s = new San(new Footprint(size, stride, dilation, padding), batch, channels, shared, height, width);
        entry.labelledProblem(name, s);
    }

    /** Aggregation: inputs values x, weights w and an output gradient; results y, dL/dx, dL/dw. */
    static OpEntry<San> sanAggregation() {
        OpEntry<San> entry = sanProblems(new OpEntry<San>(SAN_AGGREGATION, "output", "dL/dx", "dL/dw")
                .inputs((s, rng) -> new Tensor[] {Tensor.randn(rng, s.input().dims()),
                    Tensor.randn(rng, s.neighbours(s.shared()).dims()), Tensor.randn(rng, s.output().dims())})
                .reference((s, x) -> new Tensor[] {AggregationReference.forward(x[0], x[1], s.footprint())},
                        (s, x, y) -> aggregation(AggregationReference.backward(x[2], x[0], x[1], s.footprint())))
                .fast((s, x) -> new Tensor[] {AggregationFast.forward(x[0], x[1], s.footprint())},
                        (s, x, y) -> aggregation(AggregationFast.backward(x[2], x[0], x[1], s.footprint())))
                .agreement(Agreement.within(0, SAN_TOLERANCE, Float.MIN_NORMAL)));
        // 3 x 4 = 12 tiles (sample, weight channel) of groups of 9 channels (a block of eight, then one).
        for (Footprint f : new Footprint[] {Footprint.of(5), new Footprint(3, 2, 2, Padding.ZERO)}) {
            entry.threadProblem("12 tiles of 9 channels, " + f, new San(f, 3, 36, 4, 13, 21));
        }
        return entry;
    }

    private static Tensor[] aggregation(AggregationKernels.Gradients g) {
        return new Tensor[] {g.x(), g.w()};
    }

    /**
     * Subtraction of two maps: inputs x1, x2 and an output gradient; results r, dL/dx1, dL/dx2. A
     * difference is one rounding of the same two floats, so r has the reference's bits.
     */
    static OpEntry<San> sanSubtraction2() {
        OpEntry<San> entry = sanProblems(new OpEntry<San>(SAN_SUBTRACTION2, "result", "dL/dx1", "dL/dx2")
                .inputs((s, rng) -> new Tensor[] {Tensor.randn(rng, s.input().dims()),
                    Tensor.randn(rng, s.input().dims()), Tensor.randn(rng, s.neighbours(s.channels()).dims())})
                .reference((s, x) -> new Tensor[] {SubtractionReference.forward(x[0], x[1], s.footprint())},
                        (s, x, y) -> subtraction(SubtractionReference.backward(x[2], x[0].shape(), s.footprint())))
                .fast((s, x) -> new Tensor[] {SubtractionFast.forward(x[0], x[1], s.footprint())},
                        (s, x, y) -> subtraction(SubtractionFast.backward(x[2], x[0].shape(), s.footprint())))
                .agreement(Agreement.byResult(Agreement.sameBits(), Agreement.within(0, SAN_TOLERANCE,
                        Float.MIN_NORMAL))));
        // 3 x 5 = 15 tiles (sample, channel).
        for (Footprint f : new Footprint[] {Footprint.of(7), new Footprint(3, 2, 2, Padding.ZERO)}) {
            entry.threadProblem("15 tiles, " + f, new San(f, 3, 5, 5, 13, 21));
        }
        return entry;
    }

    private static Tensor[] subtraction(SubtractionKernels.Gradients g) {
        return new Tensor[] {g.x1(), g.x2()};
    }

    /**
     * The neighbourhood (unfold): inputs x and a gradient of the neighbours; forward copies floats, so it
     * has the reference's bits; backward sums in another order.
     */
    static OpEntry<San> sanNeighbourhood() {
        OpEntry<San> entry = sanProblems(new OpEntry<San>(SAN_NEIGHBOURHOOD, "neighbours", "dL/dx")
                .inputs((s, rng) -> new Tensor[] {Tensor.randn(rng, s.input().dims()),
                    Tensor.randn(rng, s.neighbours(s.channels()).dims())})
                .reference((s, x) -> new Tensor[] {NeighbourhoodReference.forward(x[0], s.footprint())},
                        (s, x, y) -> new Tensor[] {NeighbourhoodReference.backward(x[1], x[0].shape(), s.footprint())})
                .fast((s, x) -> new Tensor[] {NeighbourhoodFast.forward(x[0], s.footprint())},
                        (s, x, y) -> new Tensor[] {NeighbourhoodFast.backward(x[1], x[0].shape(), s.footprint())})
                .agreement(Agreement.byResult(Agreement.sameBits(), Agreement.within(0, SAN_TOLERANCE,
                        Float.MIN_NORMAL))));
        // 2 x 7 = 14 tiles (sample, channel).
        for (Footprint f : new Footprint[] {Footprint.of(5), new Footprint(5, 3, 2, Padding.ZERO)}) {
            entry.threadProblem("14 tiles, " + f, new San(f, 2, 7, 7, 13, 21));
        }
        return entry;
    }
}
