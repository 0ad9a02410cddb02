package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.AVGPOOL2D;
import static vista.tensor.kernels.OpCatalogue.GLOBAL_AVGPOOL;
import static vista.tensor.kernels.OpCatalogue.MAXPOOL2D;

import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for pooling. */
final class PoolingEntries {
    private PoolingEntries() {
    }

    /** Float sums of at most a few dozen terms against double ones: a few roundings of the magnitude. */
    static final double POOLING_TOLERANCE = 0x1p-18;

    /** One pooling window on an input (N, C, H, W). */
    record Pool(ConvGeometry window, int batch, int channels, int height, int width) {
        @Override
        public String toString() {
            return window + " on [" + batch + ", " + channels + ", " + height + ", " + width + "]";
        }
    }

    /** A pooling window ({@code ConvGeometry.pooling}) of any kernel, stride and padding. */
    static ConvGeometry poolingWindow(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
            int paddingHeight, int paddingWidth) {
        return ConvGeometry.pooling("Pool2d", kernelHeight, kernelWidth).stride(strideHeight, strideWidth)
                .padding(paddingHeight, paddingWidth).build();
    }

    /**
     * The problems of the three pooling ops but their width problems, with inputs x, an output gradient
     * of the window's output and one of global pooling's (N, C, 1, 1).
     */
    private static OpEntry<Pool> pooling(OpEntry<Pool> entry) {
        entry.inputs((p, rng) -> {
            Tensor x = Tensor.randn(rng, p.batch(), p.channels(), p.height(), p.width());
            return new Tensor[] {x, Tensor.randn(rng, p.window().outputShape(x.shape()).dims()),
                Tensor.randn(rng, p.batch(), p.channels(), 1, 1)};
        });
        ConvGeometry stem = poolingWindow(3, 3, 2, 2, 1, 1);
        ConvGeometry sliding = poolingWindow(3, 3, 1, 1, 1, 1);
        ConvGeometry halves = poolingWindow(2, 2, 2, 2, 0, 0);
        pool(entry, "batch 1, 2x2", halves, 1, 3, 8, 8);
        pool(entry, "2x2 on an odd size", halves, 2, 3, 7, 7);
        pool(entry, "3x3 s2 p1 (ResNet's stem)", stem, 2, 4, 9, 11);
        pool(entry, "3x3 s1 p1 (overlapping)", sliding, 2, 2, 6, 7);
        pool(entry, "rectangular 2x3, stride (2, 1), padding (1, 1)", poolingWindow(2, 3, 2, 1, 1, 1), 2, 3, 7, 10);
        pool(entry, "width smaller than a vector", sliding, 3, 2, 5, 3);
        pool(entry, "1x1 stride 2 (subsampling)", poolingWindow(1, 1, 2, 2, 0, 0), 2, 3, 7, 6);
        pool(entry, "window as large as the image", poolingWindow(5, 4, 1, 1, 0, 0), 2, 3, 5, 4);
        pool(entry, "5x5 s3 p2", poolingWindow(5, 5, 3, 3, 2, 2), 1, 2, 13, 12);
        pool(entry, "wide rows, 3x3 s1 p1 (vectors of windows)", sliding, 2, 2, 5, 41);
        pool(entry, "wide rows, 3x3 s2 p1", stem, 1, 3, 6, 77);
        pool(entry, "wide rows, 2x2 s2", halves, 2, 2, 4, 70);
        pool(entry, "wide rows, 2x4 stride (1, 3), padding (1, 2)", poolingWindow(2, 4, 1, 3, 1, 2), 1, 2, 5, 101);
        entry.threadProblem("many plane tiles", new Pool(stem, 4, 48, 33, 35));
        return entry;
    }

    private static void pool(OpEntry<Pool> entry, String label, ConvGeometry window, int batch, int channels,
            int height, int width) {
        entry.labelledProblem(label, new Pool(window, batch, channels, height, width));
    }

    /** Max pooling takes the first maximum in window order: the same bits; its gradient sums a few. */
    static OpEntry<Pool> maxpool2d() {
        return pooling(new OpEntry<Pool>(MAXPOOL2D, "forward", "gradient"))
                .reference((p, x) -> new Tensor[] {PoolingReference.maxPool(x[0], p.window())},
                        (p, x, y) -> new Tensor[] {PoolingReference.maxPoolBackward(x[1], x[0], p.window())})
                .fast((p, x) -> new Tensor[] {PoolingFast.maxPool(x[0], p.window())},
                        (p, x, y) -> new Tensor[] {PoolingFast.maxPoolBackward(x[1], x[0], p.window())})
                .agreement(Agreement.byResult(Agreement.sameBits(), Agreement.relativeToMagnitude(POOLING_TOLERANCE)))
                // |gradient| routed by the same x: where the maxima are must not change.
                .magnitudeInputs(x -> new Tensor[] {x[0], x[1].abs(), x[2]})
                .widthProblem("rows of 77, the stem's window", new Pool(poolingWindow(3, 3, 2, 2, 1, 1), 1, 3, 6, 77));
    }

    /** Average pooling, counting the padding in the divisor and not. */
    static OpEntry<Pool> avgpool2d() {
        return pooling(new OpEntry<Pool>(AVGPOOL2D, "forward", "forward, padding not counted", "gradient",
                "gradient, padding not counted"))
                .reference((p, x) -> new Tensor[] {PoolingReference.avgPool(x[0], p.window(), true),
                    PoolingReference.avgPool(x[0], p.window(), false)},
                        (p, x, y) -> new Tensor[] {
                            PoolingReference.avgPoolBackward(x[1], x[0].shape(), p.window(), true),
                            PoolingReference.avgPoolBackward(x[1], x[0].shape(), p.window(), false)})
                .fast((p, x) -> new Tensor[] {PoolingFast.avgPool(x[0], p.window(), true),
                    PoolingFast.avgPool(x[0], p.window(), false)},
                        (p, x, y) -> new Tensor[] {PoolingFast.avgPoolBackward(x[1], x[0].shape(), p.window(), true),
                            PoolingFast.avgPoolBackward(x[1], x[0].shape(), p.window(), false)})
                .agreement(Agreement.relativeToMagnitude(POOLING_TOLERANCE))
                .widthProblem("rows of 77, 3x3 s1 p1", new Pool(poolingWindow(3, 3, 1, 1, 1, 1), 1, 3, 6, 77))
                .widthProblem("rows of 19, 2x2 s2", new Pool(poolingWindow(2, 2, 2, 2, 0, 0), 3, 5, 17, 19))
                .widthProblem("rows of 19, 3x3 s1 p1", new Pool(poolingWindow(3, 3, 1, 1, 1, 1), 3, 5, 17, 19));
    }

    /** Global average pooling; its gradient is one rounded division, so it has the reference's bits. */
    static OpEntry<Pool> globalAvgpool() {
        return pooling(new OpEntry<Pool>(GLOBAL_AVGPOOL, "forward", "gradient"))
                .reference((p, x) -> new Tensor[] {PoolingReference.globalAvgPool(x[0])},
                        (p, x, y) -> new Tensor[] {PoolingReference.globalAvgPoolBackward(x[2], x[0].shape())})
                .fast((p, x) -> new Tensor[] {PoolingFast.globalAvgPool(x[0])},
                        (p, x, y) -> new Tensor[] {PoolingFast.globalAvgPoolBackward(x[2], x[0].shape())})
                .agreement(Agreement.byResult(Agreement.relativeToMagnitude(POOLING_TOLERANCE), Agreement.sameBits()))
                .widthProblem("rows of 19", new Pool(poolingWindow(2, 2, 2, 2, 0, 0), 3, 5, 17, 19));
    }
}
