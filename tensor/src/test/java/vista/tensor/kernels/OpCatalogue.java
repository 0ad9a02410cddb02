package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.geometry.Footprint;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpEntry.Agreement;

/**
 * Every kernel op, one {@link OpEntry} each, keyed by the op names of the parity fixtures ({@code conv2d},
 * {@code maxpool2d}, {@code san_aggregation}, ...) and, for ops without a fixture, by names in the same
 * style ({@code elementwise_unary}, {@code sum}, {@code gemm}, ...). One entry gives the op's inputs, its
 * reference and fast kernels, how closely they must agree, and the problems to run them on.
 *
 * <p>The generic tests iterate it: {@link OpCatalogueTest} checks fast against reference, the same bits
 * for 1 to 4 threads and for every vector width ({@link VectorWidthProbe}, one JVM per width for all
 * entries); autograd's gradient checks key their cases by the same {@link #names()} and fail if a
 * differentiable op has none. A new op is therefore a kernel triple ({@code XReference}, {@code XFast},
 * {@code XKernels}), an autograd function, and an entry here plus its gradient cases under its name.
 * What is particular to one kernel (hand computations, padding rules, error messages, documented
 * summation orders) stays in that kernel's own test.
 *
 * <p>Published to the other modules' tests as this module's test-jar.
 */
public final class OpCatalogue {
    public static final String CONV2D = "conv2d";
    public static final String MAXPOOL2D = "maxpool2d";
    public static final String AVGPOOL2D = "avgpool2d";
    public static final String GLOBAL_AVGPOOL = "global_avgpool";
    public static final String BATCHNORM2D = "batchnorm2d";
    public static final String SOFTMAX = "softmax";
    public static final String LOG_SOFTMAX = "log_softmax";
    public static final String SASA_ATTENTION = "sasa_attention";
    public static final String SAN_AGGREGATION = "san_aggregation";
    public static final String SAN_SUBTRACTION2 = "san_subtraction2";
    public static final String SAN_NEIGHBOURHOOD = "san_neighbourhood";
    public static final String ELEMENTWISE_UNARY = "elementwise_unary";
    public static final String ELEMENTWISE_BINARY = "elementwise_binary";
    public static final String WHERE = "where";
    public static final String SUM = "sum";
    public static final String MEAN = "mean";
    public static final String MAX = "max";
    public static final String VAR = "var";
    public static final String ARGMAX = "argmax";
    public static final String GEMM = "gemm";
    public static final String MATMUL = "matmul";
    public static final String CHANNEL_AFFINE = "channel_affine";

    private OpCatalogue() {
    }

    /** Every entry, in the order of their names' declarations. */
    static List<OpEntry<?>> entries() {
        return List.of(conv2d(), maxpool2d(), avgpool2d(), globalAvgpool(), batchnorm2d(), softmax(), logSoftmax(),
                sasaAttention(), sanAggregation(), sanSubtraction2(), sanNeighbourhood(), elementwiseUnary(),
                elementwiseBinary(), where(), sum(), mean(), max(), var(), argmax(), gemm(), matmul(), channelAffine());
    }

    /** The name of every entry: what other modules' tests key their cases of the same op by. */
    public static List<String> names() {
        return entries().stream().map(OpEntry::name).toList();
    }

    /** Random values {@code scale * z + shift}, z standard normal, of shape {@code dims} in a layout. */
    record Operand(Layout layout, double scale, double shift, int... dims) {
        /** Standard normal values, contiguous. */
        static Operand normal(int... dims) {
            return new Operand(Layout.CONTIGUOUS, 1, 0, dims);
        }

        Tensor random(Rng rng) {
            return layout.random(rng, scale, shift, dims);
        }

        /** This operand in each layout it can have. */
        List<Operand> inEveryLayout() {
            return Layout.all(dims).stream().map(l -> new Operand(l, scale, shift, dims)).toList();
        }

        @Override
        public String toString() {
            return Arrays.toString(dims) + (layout == Layout.CONTIGUOUS ? "" : " " + layout);
        }
    }

    // ---------------------------------------------------------------- convolution

    /**
     * Tolerance of the float32 fast convolution against the double reference, relative to the sum of the
     * absolute values of an element's terms: a float chain of n terms errs by at most about n 2^-24 of
     * that sum, and by about sqrt(n) 2^-24 in practice; 2^-14 leaves room for the longest chains here and
     * still catches one wrong term (whose size is about 1/n of the sum).
     */
    static final double CONVOLUTION_TOLERANCE = 0x1p-14;

    /** One convolution: input (N, C_in, H, W), geometry, and whether it has a bias. */
    record Conv(ConvGeometry geometry, int batch, int height, int width, boolean bias) {
        @Override
        public String toString() {
            return geometry + " on [" + batch + ", " + geometry.inChannels() + ", " + height + ", " + width + "]"
                    + (bias ? "" : " without bias");
        }
    }

    /** Inputs x, weight, bias (or null) and an output gradient. */
    static OpEntry<Conv> conv2d() {
        OpEntry<Conv> entry = new OpEntry<Conv>(CONV2D, "forward", "input gradient", "weight gradient", "bias gradient")
                .inputs((c, rng) -> {
                    ConvGeometry g = c.geometry();
                    Tensor x = Tensor.randn(rng, c.batch(), g.inChannels(), c.height(), c.width());
                    Tensor w = Tensor.randn(rng, g.weightShape().dims());
                    Tensor b = c.bias() ? Tensor.randn(rng, g.outChannels()) : null;
                    return new Tensor[] {x, w, b, Tensor.randn(rng, g.outputShape(x.shape()).dims())};
                })
                .reference((c, x) -> new Tensor[] {ConvolutionReference.forward(x[0], x[1], x[2], c.geometry())},
                        (c, x, y) -> new Tensor[] {
                            ConvolutionReference.backwardInput(x[3], x[1], x[0].shape(), c.geometry()),
                            ConvolutionReference.backwardWeight(x[3], x[0], c.geometry()),
                            ConvolutionReference.backwardBias(x[3])})
                .fast((c, x) -> new Tensor[] {ConvolutionFast.forward(x[0], x[1], x[2], c.geometry())},
                        (c, x, y) -> new Tensor[] {
                            ConvolutionFast.backwardInput(x[3], x[1], x[0].shape(), c.geometry()),
                            ConvolutionFast.backwardWeight(x[3], x[0], c.geometry()),
                            ConvolutionKernels.backwardBias(x[3])})
                .agreement(Agreement.relativeToMagnitude(CONVOLUTION_TOLERANCE));
        conv(entry, "batch 1, 3x3 s1 p1", ConvGeometry.convolution(3, 4, 3).padding(1), 1, 5, 6, true);
        conv(entry, "odd sizes", ConvGeometry.convolution(5, 7, 3), 3, 7, 9, true);
        conv(entry, "1x1", ConvGeometry.convolution(6, 5, 1), 2, 5, 7, true);
        conv(entry, "1x1 stride 2", ConvGeometry.convolution(6, 10, 1).stride(2), 2, 7, 9, false);
        conv(entry, "3x3 s2 p1", ConvGeometry.convolution(4, 6, 3).stride(2).padding(1), 2, 9, 11, true);
        conv(entry, "7x7 s2 p3 (a stem)", ConvGeometry.convolution(3, 8, 7).stride(2).padding(3), 1, 17, 15, false);
        conv(entry, "5x5 p0", ConvGeometry.convolution(3, 5, 5), 2, 9, 8, true);
        conv(entry, "groups 4", ConvGeometry.convolution(8, 12, 3).padding(1).groups(4), 2, 6, 7, true);
        conv(entry, "depthwise", ConvGeometry.convolution(6, 6, 3).padding(1).groups(6), 2, 7, 6, false);
        conv(entry, "dilation 2", ConvGeometry.convolution(3, 4, 3).padding(2).dilation(2), 2, 11, 9, true);
        conv(entry, "rectangular image 7x10", ConvGeometry.convolution(4, 3, 3).padding(1), 2, 7, 10, true);
        conv(entry, "rectangular kernel, stride, padding, dilation",
                ConvGeometry.convolution(4, 6, 3, 2).stride(2, 1).padding(1, 2).dilation(1, 3).groups(2), 2, 10, 13,
                true);
        conv(entry, "width smaller than a vector", ConvGeometry.convolution(3, 5, 3).padding(1), 2, 6, 3, true);
        conv(entry, "padding larger than the kernel", ConvGeometry.convolution(2, 3, 3).padding(4).stride(3), 1, 4, 5,
                true);
        conv(entry, "kernel as large as the padded image", ConvGeometry.convolution(2, 3, 5, 6).padding(1), 2, 3, 4,
                true);
        conv(entry, "several position blocks and channel tiles", ConvGeometry.convolution(20, 9, 3).padding(1), 2, 37,
                29, true);
        conv(entry, "16 channels, 3x3 s2 p1 (channels-last weight gradient)",
                ConvGeometry.convolution(16, 8, 3).stride(2).padding(1), 2, 9, 11, false);
        conv(entry, "2 groups of 16 channels, 3x2 kernel, dilation (2, 3)",
                ConvGeometry.convolution(32, 6, 3, 2).padding(2, 1).dilation(2, 3).groups(2), 1, 10, 12, true);
        conv(entry, "1x1 from 48 channels", ConvGeometry.convolution(48, 7, 1), 2, 5, 9, true);
        // Several tiles everywhere: position blocks, input-channel tiles, weight-gradient runs, GEMM blocks
        // inside the tiles and, for 256 output channels, GEMMs large enough to fork inside a tile.
        return entry.threadProblem("3x3 with many tiles",
                        new Conv(ConvGeometry.convolution(40, 72, 3).padding(1).build(), 3, 30, 33, true))
                .threadProblem("1x1 with many tiles", new Conv(ConvGeometry.convolution(40, 24, 1).build(), 3, 30, 33,
                        false))
                .threadProblem("256 output channels: GEMMs that fork",
                        new Conv(ConvGeometry.convolution(64, 256, 3).padding(1).build(), 2, 20, 20, false))
                .widthProblem("3x3 p1 on rows of 23",
                        new Conv(ConvGeometry.convolution(16, 10, 3).padding(1).build(), 2, 19, 23, true))
                .widthProblem("groups 4, stride 2, dilation 2", new Conv(ConvGeometry.convolution(16, 4, 3).padding(1)
                        .stride(2).dilation(2).groups(4).build(), 2, 19, 23, false));
    }

    private static void conv(OpEntry<Conv> entry, String label, ConvGeometry.Builder geometry, int batch, int height,
            int width, boolean bias) {
        entry.labelledProblem(label, new Conv(geometry.build(), batch, height, width, bias));
    }

    // ---------------------------------------------------------------- pooling

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

    // ---------------------------------------------------------------- batch normalisation

    /** The ε of the batch normalisation problems. */
    static final double BATCH_NORM_EPS = 1e-5;

    /**
     * Training-mode batch normalisation, inputs x, γ, β and an output gradient; both backward kernels get
     * the fast forward's mean and 1/std. Fast float32 against the double reference:
     * {@code |a - e| <= 1e-5 |e| + 2e-5 max |e|}.
     */
    static OpEntry<Operand> batchnorm2d() {
        OpEntry<Operand> entry = new OpEntry<Operand>(BATCHNORM2D, "output", "mean", "variance", "inverse std",
                "dL/dx", "dL/dγ", "dL/dβ")
                .inputs((x, rng) -> new Tensor[] {x.random(rng), Tensor.uniform(rng, 0.5, 2, x.dims()[1]),
                    Tensor.randn(rng, x.dims()[1]), Tensor.randn(rng, x.dims())})
                .reference((p, x) -> forward(BatchNormReference.train(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormReference.backward(x[3], x[0], x[1], y[1], y[3], true)))
                .fast((p, x) -> forward(BatchNormFast.train(x[0], x[1], x[2], BATCH_NORM_EPS)),
                        (p, x, y) -> gradients(BatchNormFast.backward(x[3], x[0], x[1], y[1], y[3], true)))
                .backwardFromFastForward()
                .agreement(Agreement.within(1e-5, 2e-5, 0));
        // Batch 1, odd channel counts, runs shorter than a vector, and runs longer than a block.
        for (int[] dims : new int[][] {{4, 1}, {9, 5}, {3, 7, 17}, {1, 3, 2, 2}, {2, 3, 5, 7}, {1, 7, 17, 1},
            {5, 3, 1, 1}, {4, 17, 9, 13}, {3, 2, 4, 300}, {20, 2, 70, 70}, {2, 3, 4, 5, 6}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 2, 0.5, dims).inEveryLayout()) {
                if (x.layout() != Layout.EXPANDED) {
                    entry.problem(x.toString(), x);
                }
            }
        }
        entry.threadProblem("[2, 64, 64, 64]", new Operand(Layout.CONTIGUOUS, 2, 0.3, 2, 64, 64, 64));
        for (int[] dims : new int[][] {{3, 5, 7, 3}, {2, 3, 70, 70}, {9, 4, 1, 1}, {2, 2, 1, 37}}) {
            entry.widthProblem(Arrays.toString(dims), new Operand(Layout.CONTIGUOUS, 2, 0.5, dims));
        }
        return entry;
    }

    private static Tensor[] forward(BatchNormKernels.Forward f) {
        return new Tensor[] {f.output(), f.mean(), f.variance(), f.inverseStd()};
    }

    private static Tensor[] gradients(BatchNormKernels.Gradients g) {
        return new Tensor[] {g.input(), g.weight(), g.bias()};
    }

    // ---------------------------------------------------------------- softmax

    /**
     * Error bound of the fast softmax kernels, in float roundings (2^-24) of {@code |log p_i| + 1}: the
     * shift {@code x_i - m} is rounded in float, an absolute error of up to 2^-24 |x_i - m| that exp turns
     * into the same relative error of p_i; FastExp, the sum and the division add a few roundings more.
     */
    static final double SOFTMAX_ROUNDINGS = 8 * 0x1p-24;

    /** An operand and the axis an op runs along. */
    record Along(Operand x, int axis) {
    }

    /** Softmax: within {@link #SOFTMAX_ROUNDINGS} of p_i. */
    static OpEntry<Along> softmax() {
        return softmaxProblems(new OpEntry<Along>(SOFTMAX, "softmax")
                .reference((p, x) -> new Tensor[] {SoftmaxReference.softmax(x[0], p.axis())})
                .fast((p, x) -> new Tensor[] {SoftmaxFast.softmax(x[0], p.axis())})
                .agreement((c, i, what) -> {
                    Tensor reference = c.reference()[0];
                    Tensor roundings = SoftmaxReference.logSoftmax(c.inputs()[0], c.parameters().axis()).abs().add(1)
                            .mul(SOFTMAX_ROUNDINGS);
                    KernelTesting.assertClose(reference, c.fast()[0], withMinValue(reference.mul(roundings)), what);
                }))
                .threadProblem("rows of 301, last axis", new Along(Operand.normal(700, 301), 1))
                .threadProblem("rows of 301, first axis", new Along(Operand.normal(700, 301), 0))
                .threadProblem("images, channels", new Along(Operand.normal(4, 10, 40, 41), 1))
                .widthProblem("logits, last axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), 1))
                .widthProblem("logits, first axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), 0));
    }

    /** Log-softmax: within {@link #SOFTMAX_ROUNDINGS} of 1. */
    static OpEntry<Along> logSoftmax() {
        return softmaxProblems(new OpEntry<Along>(LOG_SOFTMAX, "log-softmax")
                .reference((p, x) -> new Tensor[] {SoftmaxReference.logSoftmax(x[0], p.axis())})
                .fast((p, x) -> new Tensor[] {SoftmaxFast.logSoftmax(x[0], p.axis())})
                .agreement((c, i, what) -> KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                        withMinValue(c.reference()[0].abs().add(1).mul(SOFTMAX_ROUNDINGS)), what)))
                .threadProblem("rows of 301, last axis", new Along(Operand.normal(700, 301), -1))
                .threadProblem("images, rows", new Along(Operand.normal(4, 10, 40, 41), 2))
                .widthProblem("logits, last axis", new Along(new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45), -1));
    }

    /** Logits 4 z on awkward shapes, in every layout, along every axis (negative ones too). */
    private static OpEntry<Along> softmaxProblems(OpEntry<Along> entry) {
        entry.inputs((p, rng) -> new Tensor[] {p.x().random(rng)});
        for (int[] dims : new int[][] {{1}, {7}, {33}, {3, 17}, {17, 1}, {2, 3, 5}, {3, 7, 1, 17}, {2, 33, 20}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 4, 0, dims).inEveryLayout()) {
                for (int axis = -dims.length; axis < dims.length; axis++) {
                    entry.problem(x + " along axis " + axis, new Along(x, axis));
                }
            }
        }
        return entry;
    }

    private static double[] withMinValue(Tensor tolerance) {
        double[] v = tolerance.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += Float.MIN_VALUE;
        }
        return v;
    }

    // ---------------------------------------------------------------- local self-attention (SASA)

    /**
     * Tolerance of the float32 fast local attention against the double reference, relative to the
     * largest magnitude of the result compared: logits, softmax and sums of at most 49 terms round a few
     * times (the worst error seen over these cases is about 2^-20.5 of that magnitude); 2^-17 leaves room
     * and still catches one wrong or missing neighbour, whose share is of the order of 1/k^2.
     */
    static final double ATTENTION_TOLERANCE = 0x1p-17;

    /** One attention problem: queries, keys and values of shape (N, C, H, W) and a window. */
    record Attention(LocalAttentionWindow window, int batch, int channels, int height, int width) {
        @Override
        public String toString() {
            return window + " on [" + batch + ", " + channels + ", " + height + ", " + width + "]";
        }
    }

    /**
     * Inputs q, k, v, the row and column embeddings and an output gradient; results the output and the
     * attention weights, then the gradients of q, k, v and both embeddings. Both backward kernels get the
     * reference's weights.
     */
    static OpEntry<Attention> sasaAttention() {
        OpEntry<Attention> entry = new OpEntry<Attention>(SASA_ATTENTION, "output", "weights", "dL/dq", "dL/dk",
                "dL/dv", "dL/drelRow", "dL/drelCol")
                .inputs((a, rng) -> {
                    int k = a.window().kernelSize();
                    int half = a.window().headChannels(a.channels()) / 2;
                    int[] dims = {a.batch(), a.channels(), a.height(), a.width()};
                    return new Tensor[] {Tensor.randn(rng, dims), Tensor.randn(rng, dims), Tensor.randn(rng, dims),
                        Tensor.randn(rng, k, half), Tensor.randn(rng, k, half), Tensor.randn(rng, dims)};
                })
                .reference((a, x) -> attention(LocalSelfAttentionReference.forward(x[0], x[1], x[2], x[3], x[4],
                        a.window())), (a, x, y) -> attention(LocalSelfAttentionReference.backward(x[5], x[0], x[1],
                        x[2], x[3], x[4], y[1], a.window())))
                .fast((a, x) -> attention(LocalSelfAttentionFast.forward(x[0], x[1], x[2], x[3], x[4], a.window())),
                        (a, x, y) -> attention(LocalSelfAttentionFast.backward(x[5], x[0], x[1], x[2], x[3], x[4], y[1],
                                a.window())))
                .agreement(Agreement.within(0, ATTENTION_TOLERANCE, Float.MIN_NORMAL));
        attention(entry, "k=1: only the centre", 2, 4, 1, 5, 6, 1, Border.MASK, false);
        attention(entry, "3x3, batch 1, dh 2", 1, 4, 2, 6, 7, 3, Border.MASK, false);
        attention(entry, "3x3, zero border, dh 4", 2, 8, 2, 7, 9, 3, Border.ZERO, true);
        attention(entry, "5x5, dh 8", 2, 16, 2, 9, 11, 5, Border.MASK, true);
        attention(entry, "5x5, zero border, dh 8", 2, 16, 2, 9, 11, 5, Border.ZERO, false);
        attention(entry, "7x7, dh 6", 1, 12, 2, 10, 13, 7, Border.MASK, false);
        attention(entry, "7x7, zero border, four heads of 6", 2, 24, 4, 8, 19, 7, Border.ZERO, true);
        attention(entry, "2x9 image, 5x5 window, four heads of 2", 2, 8, 4, 2, 9, 5, Border.MASK, false);
        attention(entry, "2x9 image, 5x5 window, zero border", 1, 8, 4, 2, 9, 5, Border.ZERO, true);
        attention(entry, "5x3 image, 7x7 window", 1, 8, 1, 5, 3, 7, Border.MASK, true);
        attention(entry, "5x3 image, 7x7 window, zero border", 2, 8, 1, 5, 3, 7, Border.ZERO, false);
        attention(entry, "1x1 image", 2, 4, 2, 1, 1, 3, Border.MASK, false);
        attention(entry, "1x1 image, zero border", 1, 4, 2, 1, 1, 3, Border.ZERO, false);
        attention(entry, "rows of 37 columns", 1, 8, 2, 3, 37, 3, Border.MASK, true);
        attention(entry, "rows of 16 columns, zero border", 1, 4, 1, 4, 16, 5, Border.ZERO, false);
        attention(entry, "rows of 17 columns, 7x7", 2, 6, 1, 5, 17, 7, Border.MASK, false);
        attention(entry, "images cut into three blocks of rows", 2, 8, 1, 13, 20, 3, Border.MASK, false);
        attention(entry, "images cut into two blocks of rows, zero border", 1, 8, 2, 21, 18, 5, Border.ZERO, true);
        attention(entry, "images of 66 rows, cut in two", 8, 4, 2, 66, 2, 3, Border.MASK, false);
        // Two blocks of rows per image and two images: many tiles (see LocalSelfAttentionTest).
        for (Border border : Border.values()) {
            entry.threadProblem("blocks of rows, " + border,
                    new Attention(new LocalAttentionWindow(2, 5, border, 0.5), 2, 12, 17, 21));
        }
        return entry.widthProblem("3x3 on rows of 13", new Attention(new LocalAttentionWindow(1, 3, Border.MASK, 1), 1,
                4, 9, 13))
                .widthProblem("5x5, zero border, on rows of 22",
                        new Attention(new LocalAttentionWindow(1, 5, Border.ZERO, 0.5), 1, 4, 5, 22));
    }

    private static void attention(OpEntry<Attention> entry, String name, int batch, int channels, int heads, int height,
            int width, int kernelSize, Border border, boolean scaled) {
        double scale = scaled ? LocalAttentionWindow.scaledLogitFactor(channels, heads) : 1;
        Attention a = new Attention(new LocalAttentionWindow(heads, kernelSize, border, scale), batch, channels, height,
                width);
        entry.labelledProblem(name, a);
    }

    private static Tensor[] attention(LocalSelfAttentionKernels.Forward f) {
        return new Tensor[] {f.output(), f.weights()};
    }

    private static Tensor[] attention(LocalSelfAttentionKernels.Gradients g) {
        return new Tensor[] {g.q(), g.k(), g.v(), g.relRow(), g.relColumn()};
    }

    // ---------------------------------------------------------------- SAN's local operators

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

    // ---------------------------------------------------------------- elementwise

    /** Ops whose fast kernel is correctly rounded in float, so it must match the reference bit for bit. */
    static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.SQRT,
            UnaryOp.LOG);
    /** Largest error, in float ulps of the exact value, allowed for the fast EXP, SIGMOID and TANH. */
    static final double EXP_ULPS = 1.0;
    static final double SIGMOID_ULPS = 2.5;
    static final double TANH_ULPS = 2.0;

    /** A function of one operand. */
    record Unary(UnaryOp op, Operand x) {
    }

    /** A function of two operands. */
    record Binary(BinaryOp op, Operand a, Operand b) {
    }

    /** Operands of where: the condition, then the values where it holds and where it does not. */
    record Where(Operand condition, Operand ifTrue, Operand ifFalse) {
    }

    /** Every unary op, 3 z on awkward shapes (rank 0 to 4, sizes 1, 3, 7, 17, 33) in every layout. */
    static OpEntry<Unary> elementwiseUnary() {
        OpEntry<Unary> entry = new OpEntry<Unary>(ELEMENTWISE_UNARY, "f(x)")
                .inputs((u, rng) -> new Tensor[] {u.x().random(rng)})
                .reference((u, x) -> new Tensor[] {ElementwiseReference.unary(u.op(), x[0])})
                .fast((u, x) -> new Tensor[] {ElementwiseFast.unary(u.op(), x[0])})
                .agreement((c, i, what) -> assertUnaryAgrees(c.parameters().op(), c.inputs()[0], c.reference()[0],
                        c.fast()[0], what));
        for (int[] dims : new int[][] {{}, {1}, {3}, {7}, {17}, {33}, {3, 7}, {7, 1}, {1, 17}, {2, 3, 5}, {3, 1, 17},
            {2, 3, 7, 33}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 3, 0, dims).inEveryLayout()) {
                for (UnaryOp op : UnaryOp.values()) {
                    entry.problem(op + " of " + x, new Unary(op, x));
                }
            }
        }
        Operand large = Operand.normal(9, 7, 4099);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            entry.threadProblem(op + " of " + large, new Unary(op, large));
        }
        Operand permuted = new Operand(Layout.PERMUTED, 1, 0, 9, 7, 4099);
        entry.threadProblem("LOG of " + permuted, new Unary(UnaryOp.LOG, permuted));
        Operand logits = new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH}) {
            entry.widthProblem(op + " of logits " + logits, new Unary(op, logits));
        }
        Operand images = Operand.normal(3, 5, 17, 19);
        return entry.widthProblem("RELU of " + images, new Unary(UnaryOp.RELU, images))
                .widthProblem("SQRT of z + 4, " + images, new Unary(UnaryOp.SQRT, new Operand(Layout.CONTIGUOUS, 1, 4,
                        3, 5, 17, 19)));
    }

    /**
     * Fails unless the fast {@code op} of {@code x} is the reference's bits ({@link #EXACT_UNARY}) or
     * within its ulps of the exact value; infinities and NaN exactly where the exact value has them.
     */
    static void assertUnaryAgrees(UnaryOp op, Tensor x, Tensor reference, Tensor fast, String what) {
        if (EXACT_UNARY.contains(op)) {
            KernelTesting.assertSameFloats(reference, fast, what);
            return;
        }
        double limit = switch (op) {
            case EXP -> EXP_ULPS;
            case SIGMOID -> SIGMOID_ULPS;
            default -> TANH_ULPS;
        };
        float[] f = fast.toFloatArray();
        double[] in = x.toDoubleArray();
        for (int i = 0; i < f.length; i++) {
            double exact = op.apply(in[i]);
            if (Float.isInfinite((float) exact) || Float.isNaN((float) exact)) {
                assertEquals((float) exact, f[i], what + ": element " + i + " (x = " + in[i] + ")");
                continue;
            }
            double error = KernelTesting.ulps(f[i], exact);
            assertTrue(error <= limit, what + ": element " + i + " (x = " + in[i] + ") is " + error + " ulp off");
        }
    }

    /**
     * Every binary op, bit for bit (each element is one rounded operation), on pairs of shapes that
     * broadcast every way (scalars, rows, columns, size-1 axes), each operand in every layout and each
     * pair in both orders.
     */
    static OpEntry<Binary> elementwiseBinary() {
        OpEntry<Binary> entry = new OpEntry<Binary>(ELEMENTWISE_BINARY, "f(a, b)", "f(b, a)")
                .inputs((b, rng) -> new Tensor[] {b.a().random(rng), b.b().random(rng)})
                .reference((b, x) -> new Tensor[] {ElementwiseReference.binary(b.op(), x[0], x[1]),
                    ElementwiseReference.binary(b.op(), x[1], x[0])})
                .fast((b, x) -> new Tensor[] {ElementwiseFast.binary(b.op(), x[0], x[1]),
                    ElementwiseFast.binary(b.op(), x[1], x[0])});
        int[][][] pairs = {
            {{7}, {7}}, {{3, 17}, {3, 17}}, {{2, 3, 5, 7}, {1, 3, 1, 1}}, {{4, 33}, {33}}, {{3, 7}, {}},
            {{}, {3, 7}}, {{3, 1}, {1, 17}}, {{7, 1, 5}, {3, 1}}, {{1}, {1}}, {{2, 17, 3}, {2, 1, 3}},
            {{33, 17}, {33, 1}},
        };
        for (int[][] pair : pairs) {
            List<Operand> as = Operand.normal(pair[0]).inEveryLayout();
            List<Operand> bs = Operand.normal(pair[1]).inEveryLayout();
            for (int k = 0; k < as.size(); k++) {
                Operand a = as.get(k);
                Operand b = bs.get(k % bs.size());
                for (BinaryOp op : BinaryOp.values()) {
                    entry.problem(op + " of " + a + " and " + b, new Binary(op, a, b));
                }
            }
        }
        Operand large = Operand.normal(9, 7, 4099);
        Operand row = Operand.normal(4099);
        entry.threadProblem("ADD of a per-channel bias", new Binary(BinaryOp.ADD, large, Operand.normal(1, 7, 1)))
                .threadProblem("MUL by a row", new Binary(BinaryOp.MUL, large, row))
                .threadProblem("POW by a row", new Binary(BinaryOp.POW, large, row));
        Operand images = Operand.normal(3, 5, 17, 19);
        return entry.widthProblem("ADD of a per-channel bias",
                        new Binary(BinaryOp.ADD, images, Operand.normal(1, 5, 1, 1)))
                .widthProblem("SUB", new Binary(BinaryOp.SUB, images, images))
                .widthProblem("MUL by a row", new Binary(BinaryOp.MUL, images, Operand.normal(19)))
                .widthProblem("DIV", new Binary(BinaryOp.DIV, images, images))
                .widthProblem("MAXIMUM", new Binary(BinaryOp.MAXIMUM, images, images));
    }

    /** Where picks one of two floats: the same bits. Conditions include all zeros and views. */
    static OpEntry<Where> where() {
        return new OpEntry<Where>(WHERE, "where")
                .inputs((w, rng) -> new Tensor[] {w.condition().random(rng), w.ifTrue().random(rng),
                    w.ifFalse().random(rng)})
                .reference((w, x) -> new Tensor[] {ElementwiseReference.where(x[0], x[1], x[2])})
                .fast((w, x) -> new Tensor[] {ElementwiseFast.where(x[0], x[1], x[2])})
                .problem("same shapes", new Where(Operand.normal(7), Operand.normal(7), Operand.normal(7)))
                .problem("a zero condition", new Where(new Operand(Layout.CONTIGUOUS, 0, 0, 3, 17),
                        Operand.normal(3, 17), Operand.normal(17)))
                .problem("a column, a row and a scalar", new Where(Operand.normal(3, 1), Operand.normal(1, 17),
                        Operand.normal()))
                .problem("views", new Where(new Operand(Layout.PERMUTED, 1, 0, 2, 3, 5, 7),
                        new Operand(Layout.SLICED, 1, 0, 2, 3, 5, 7), new Operand(Layout.EXPANDED, 1, 0, 2, 3, 5, 7)))
                .threadProblem("a per-channel bias and a row",
                        new Where(Operand.normal(9, 7, 4099), Operand.normal(1, 7, 1), Operand.normal(4099)))
                .widthProblem("images and a scalar",
                        new Where(Operand.normal(3, 5, 17, 19), Operand.normal(3, 5, 17, 19), Operand.normal()));
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Tolerance of the fast float sums against the double reference: a few float roundings per
     * element's magnitude, {@code 4 * 2^-24 * sum |x|} (summing n values in float errs by at most about
     * log2(n) roundings of partial sums with the tree, far less than n).
     */
    static final double SUM_TOLERANCE = 4 * 0x1p-24 * 16;

    /** A reduction of an operand over some axes (argmax: one), and var's correction. */
    record Reduction(Operand x, int[] axes, boolean keepdim, int correction) {
        @Override
        public String toString() {
            return x + " over " + Arrays.toString(axes) + (keepdim ? " keepdim" : "");
        }
    }

    /** Sum: within {@link #SUM_TOLERANCE} of sum |x|. */
    static OpEntry<Reduction> sum() {
        return reductionProblems(new OpEntry<Reduction>(SUM, "sum")
                .reference((r, x) -> new Tensor[] {ReductionsReference.sum(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.sum(x[0], r.axes(), r.keepdim())})
                .agreement(Agreement.relativeToMagnitude(SUM_TOLERANCE)), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 0))
                .threadProblem("images over [0, 2, 3]", new Reduction(IMAGES, new int[] {0, 2, 3}, false, 0))
                .threadProblem("a tall axis", new Reduction(TALL, new int[] {0}, false, 0))
                .widthProblem("a long run", new Reduction(SHORT_RUN, new int[] {0}, false, 0))
                .widthProblem("rows of 17 x 19", new Reduction(SMALL_IMAGES, new int[] {2, 3}, false, 0))
                .widthProblem("columns", new Reduction(SMALL_IMAGES, new int[] {1}, false, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 0))
                .widthProblem("over [0, 2, 3] (a convolution's bias gradient)", new Reduction(SMALL_IMAGES,
                        new int[] {0, 2, 3}, false, 0));
    }

    /** Mean: within {@link #SUM_TOLERANCE} of mean |x|. */
    static OpEntry<Reduction> mean() {
        return reductionProblems(new OpEntry<Reduction>(MEAN, "mean")
                .reference((r, x) -> new Tensor[] {ReductionsReference.mean(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.mean(x[0], r.axes(), r.keepdim())})
                .agreement((c, i, what) -> {
                    Reduction r = c.parameters();
                    Tensor magnitude = ReductionsReference.sum(c.inputs()[0].abs(), r.axes(), r.keepdim());
                    KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                            scale(magnitude, SUM_TOLERANCE / count(c.inputs()[0], magnitude)), what);
                }), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 0))
                .threadProblem("images over [2, 3]", new Reduction(IMAGES, new int[] {2, 3}, false, 0))
                .widthProblem("over [0, 2, 3], keepdim", new Reduction(SMALL_IMAGES, new int[] {0, 2, 3}, true, 0));
    }

    /** Max picks one float: the same bits. */
    static OpEntry<Reduction> max() {
        return reductionProblems(new OpEntry<Reduction>(MAX, "max")
                .reference((r, x) -> new Tensor[] {ReductionsReference.max(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.max(x[0], r.axes(), r.keepdim())}), false)
                .threadProblem("images over channels", new Reduction(IMAGES, new int[] {1}, false, 0))
                .threadProblem("a tall axis, keepdim", new Reduction(TALL, new int[] {0}, true, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 0));
    }

    /** Var, corrections 0 and 1: within 4 {@link #SUM_TOLERANCE} of sum x^2 / (n - correction). */
    static OpEntry<Reduction> var() {
        return reductionProblems(new OpEntry<Reduction>(VAR, "var")
                .reference((r, x) -> new Tensor[] {
                    ReductionsReference.var(x[0], r.axes(), r.keepdim(), r.correction())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.var(x[0], r.axes(), r.keepdim(), r.correction())})
                .agreement((c, i, what) -> {
                    Reduction r = c.parameters();
                    Tensor x = c.inputs()[0];
                    double n = count(x, ReductionsReference.sum(x.abs(), r.axes(), r.keepdim()));
                    Tensor squares = ReductionsReference.sum(x.mul(x), r.axes(), r.keepdim());
                    KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                            scale(squares, 4 * SUM_TOLERANCE / (n - r.correction())), what);
                }), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 1))
                .threadProblem("images over [0, 2, 3], keepdim", new Reduction(IMAGES, new int[] {0, 2, 3}, true, 0))
                .threadProblem("a tall axis", new Reduction(TALL, new int[] {0}, false, 1))
                .widthProblem("a long run", new Reduction(SHORT_RUN, new int[] {0}, false, 1))
                .widthProblem("over [0, 2, 3]", new Reduction(SMALL_IMAGES, new int[] {0, 2, 3}, false, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 1));
    }

    /** Argmax picks the first maximum's index: the same bits. */
    static OpEntry<Reduction> argmax() {
        return reductionProblems(new OpEntry<Reduction>(ARGMAX, "argmax")
                .reference((r, x) -> new Tensor[] {ReductionsReference.argmax(x[0], r.axes()[0], r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.argmax(x[0], r.axes()[0], r.keepdim())}), true)
                .threadProblem("images along rows", new Reduction(IMAGES, new int[] {3}, false, 0))
                .widthProblem("rows of 37", new Reduction(NARROW, new int[] {1}, false, 0));
    }

    /** A run of five chunks and 123 values more. */
    private static final Operand LONG_RUN = Operand.normal(5 * ReductionsFast.CHUNK + 123);
    /** A run of two chunks and 77 values more. */
    private static final Operand SHORT_RUN = Operand.normal(2 * ReductionsFast.CHUNK + 77);
    /** Images (8, 6, 33, 35): many tiles of planes. */
    private static final Operand IMAGES = Operand.normal(8, 6, 33, 35);
    /** A tall axis of 3 chunks and 7 more, 19 wide. */
    private static final Operand TALL = Operand.normal(3 * ReductionsFast.CHUNK + 7, 19);
    /** Images (3, 5, 17, 19): rows that end mid-vector at every width. */
    private static final Operand SMALL_IMAGES = Operand.normal(3, 5, 17, 19);
    /** A tall axis of 1001 rows of 37. */
    private static final Operand NARROW = Operand.normal(1001, 37);

    /**
     * The reduction problems: z + 0.5 on awkward shapes in every layout, over every subset of the axes
     * (only single axes for argmax), with and without keepdim, and var with corrections 0 and 1 where n
     * exceeds them; then long runs over many chunks and a tall axis.
     */
    private static OpEntry<Reduction> reductionProblems(OpEntry<Reduction> entry, boolean singleAxis) {
        entry.inputs((r, rng) -> new Tensor[] {r.x().random(rng)});
        boolean var = entry.name().equals(VAR);
        for (int[] dims : new int[][] {{3, 7, 17}, {2, 3, 5, 17}, {1, 33, 1}, {17, 1, 3}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 1, 0.5, dims).inEveryLayout()) {
                for (int[] axes : KernelTesting.axisSubsets(dims.length)) {
                    for (boolean keepdim : new boolean[] {false, true}) {
                        reduction(entry, new Reduction(x, axes, keepdim, 0), singleAxis, var);
                    }
                }
            }
        }
        Operand longRuns = new Operand(Layout.CONTIGUOUS, 1, 0.25, 3, 70_001);
        for (int[] axes : new int[][] {{1}, {0}, {0, 1}}) {
            reduction(entry, new Reduction(longRuns, axes, false, 0), singleAxis, var);
        }
        Operand tall = Operand.normal(40_000, 5);
        reduction(entry, new Reduction(tall, new int[] {0}, true, 0), singleAxis, var);
        reduction(entry, new Reduction(tall, new int[] {1}, false, 0), singleAxis, var);
        return entry;
    }

    private static void reduction(OpEntry<Reduction> entry, Reduction r, boolean singleAxis, boolean var) {
        if (singleAxis && r.axes().length != 1) {
            return;
        }
        if (!var) {
            entry.problem(r.toString(), r);
            return;
        }
        int n = 1;
        for (int axis : r.axes()) {
            n *= r.x().dims()[axis];
        }
        for (int correction : new int[] {0, 1}) {
            if (n - correction > 0) {
                entry.problem(r + ", correction " + correction,
                        new Reduction(r.x(), r.axes(), r.keepdim(), correction));
            }
        }
    }

    /** How many elements each result of a reduction summarises: |x| over the result's size. */
    private static double count(Tensor x, Tensor reduced) {
        return (double) x.numel() / Math.max(1, reduced.numel());
    }

    private static double[] scale(Tensor t, double factor) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * factor + Float.MIN_NORMAL;
        }
        return v;
    }

    // ---------------------------------------------------------------- GEMM and matmul

    /**
     * One GEMM {@code C = op(A) op(B) (+ C)}, op(A) m x k and op(B) k x n, on stored matrices with spare
     * elements around them: 5 in front, 3 spare columns per row of A, 2 of B, 4 of C, and 3 behind.
     */
    record Gemm(boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        static final int OFFSET = 5;

        int lda() {
            return (transA ? m : k) + 3;
        }

        int ldb() {
            return (transB ? k : n) + 2;
        }

        int ldc() {
            return n + 4;
        }

        /** A, B and C, each stored in a 1-D tensor with its spare elements. */
        Tensor[] random(Rng rng) {
            return new Tensor[] {stored(rng, transA ? k : m, lda()), stored(rng, transB ? n : k, ldb()),
                stored(rng, m, ldc())};
        }

        /** All of C's storage after the fast or the reference kernel (on a copy). */
        Tensor run(boolean fast, Tensor[] x) {
            float[] c = x[2].toFloatArray();
            if (fast) {
                GemmKernels.fast(transA, transB, m, n, k, x[0].floats(), OFFSET, lda(), x[1].floats(), OFFSET, ldb(), c,
                        OFFSET, ldc(), accumulate);
            } else {
                GemmKernels.reference(transA, transB, m, n, k, x[0].floats(), OFFSET, lda(), x[1].floats(), OFFSET,
                        ldb(), c, OFFSET, ldc(), accumulate);
            }
            return Tensor.fromArray(c, c.length);
        }

        private static Tensor stored(Rng rng, int rows, int ld) {
            return Tensor.randn(rng, OFFSET + rows * ld + 3);
        }

        @Override
        public String toString() {
            return "m, n, k = " + m + ", " + n + ", " + k + (transA ? ", A^T" : "") + (transB ? ", B^T" : "")
                    + (accumulate ? ", accumulating" : "");
        }
    }

    /**
     * The thread problem of GEMM: a shape cut into many tiles, with a depth over several depth blocks
     * (GemmTest checks both), B transposed, accumulating.
     */
    static final Gemm GEMM_WITH_MANY_TILES = new Gemm(false, true, 300, 700, 600, true);

    /**
     * GEMM keeps one FMA chain per element in the reference's order, so fast has the reference's bits,
     * for every transpose and with or without accumulating, on shapes with edge blocks and several depth
     * blocks. (GemmTest also checks it against exact sums on 1372 awkward shapes.)
     */
    static OpEntry<Gemm> gemm() {
        OpEntry<Gemm> entry = new OpEntry<Gemm>(GEMM, "C")
                .inputs((g, rng) -> g.random(rng))
                .reference((g, x) -> new Tensor[] {g.run(false, x)})
                .fast((g, x) -> new Tensor[] {g.run(true, x)});
        for (int[] mnk : new int[][] {{1, 1, 1}, {7, 3, 130}, {17, 65, 33}, {130, 33, 7}, {33, 130, 300}}) {
            for (int combination = 0; combination < 8; combination++) {
                Gemm g = new Gemm((combination & 1) != 0, (combination & 2) != 0, mnk[0], mnk[1], mnk[2],
                        (combination & 4) != 0);
                entry.problem(g.toString(), g);
            }
        }
        entry.problem(GEMM_WITH_MANY_TILES.toString(), GEMM_WITH_MANY_TILES)
                .threadProblem(GEMM_WITH_MANY_TILES.toString(), GEMM_WITH_MANY_TILES);
        for (int[] mnk : new int[][] {{7, 3, 130}, {17, 65, 33}, {33, 70, 300}}) {
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                Gemm g = new Gemm(transA, (transposes & 2) != 0, mnk[0], mnk[1], mnk[2], transA);
                entry.widthProblem(g.toString(), g);
            }
        }
        return entry;
    }

    /** A matrix product of operands of the given shapes, each possibly a transposed view (of its last two axes). */
    record Product(int[] a, boolean transposeA, int[] b, boolean transposeB) {
    }

    /**
     * The matrix product through its front ({@link MatMulKernels#matmul}, fast for float32), against the
     * reference GEMM on row-major copies: the same bits.
     */
    static OpEntry<Product> matmul() {
        return new OpEntry<Product>(MATMUL, "product")
                .inputs((p, rng) -> new Tensor[] {operand(rng, p.a(), p.transposeA()),
                    operand(rng, p.b(), p.transposeB())})
                .reference((p, x) -> new Tensor[] {referenceMatmul(x[0], x[1])})
                .fast((p, x) -> new Tensor[] {MatMulKernels.matmul(x[0], x[1])})
                .problem("[70, 130] x [130, 33]", new Product(new int[] {70, 130}, false, new int[] {130, 33}, false))
                .problem("transposed views", new Product(new int[] {40, 33}, true, new int[] {17, 40}, true))
                .threadProblem("a batch of 6", new Product(new int[] {6, 70, 50}, false, new int[] {50, 90}, false))
                .widthProblem("by a transposed weight (Linear)", new Product(new int[] {13, 37}, false,
                        new int[] {10, 37}, true))
                .widthProblem("of a transposed gradient (Linear's dW)", new Product(new int[] {13, 10}, true,
                        new int[] {13, 37}, false));
    }

    private static Tensor operand(Rng rng, int[] dims, boolean transposed) {
        Tensor t = Tensor.randn(rng, dims);
        return transposed ? t.transpose(-2, -1) : t;
    }

    /** {@code a x b} for 2-D operands, by the reference GEMM on row-major copies. */
    static Tensor referenceMatmul(Tensor a, Tensor b) {
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        float[] c = new float[m * n];
        GemmKernels.reference(false, false, m, n, k, a.toFloatArray(), 0, k, b.toFloatArray(), 0, n, c, 0, n, false);
        return Tensor.fromArray(c, m, n);
    }

    // ---------------------------------------------------------------- channel affine maps

    /** Rows (N, C, L) for the per-channel affine maps; scale and shift are random per channel. */
    record Affine(int batch, int channels, int positions) {
    }

    /**
     * The per-channel affine steps of batch normalisation ({@link ChannelAffine}): scale, shift and
     * ReLU; a g + b x + k; g kept where x > 0. They have no reference kernel (ChannelAffineTest checks
     * their formulas), so only the thread and width checks run them.
     */
    static OpEntry<Affine> channelAffine() {
        return new OpEntry<Affine>(CHANNEL_AFFINE, "scale, shift and relu", "combine", "keep where positive")
                .inputs((a, rng) -> new Tensor[] {Tensor.randn(rng, a.batch(), a.channels(), a.positions()),
                    Tensor.randn(rng, a.batch(), a.channels(), a.positions()), Tensor.uniform(rng, -2, 2, a.channels()),
                    Tensor.randn(rng, a.channels())})
                .fast((a, x) -> {
                    double[] scale = x[2].toDoubleArray();
                    double[] shift = x[3].toDoubleArray();
                    return new Tensor[] {ChannelAffine.scaleShiftRelu(x[1], scale, shift),
                        ChannelAffine.combine(x[0], scale, x[1], shift, scale),
                        ChannelAffine.keepWherePositive(x[0].copy(), x[1])};
                })
                .threadProblem("planes of 40000", new Affine(4, 5, 40_000))
                .widthProblem("37 positions: two full 16-lane vectors and a tail", new Affine(2, 3, 37));
    }
}
