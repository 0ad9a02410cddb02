package vista.tensor.kernels;

import java.util.Arrays;
import java.util.List;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;

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
 * {@code XKernels}), an autograd function, and an entry (its name here, its builder in the family's
 * {@code *Entries} file, one line in {@link #entries()}) plus its gradient cases under its name.
 * What is particular to one kernel (hand computations, padding rules, error messages, documented
 * summation orders) stays in that kernel's own test.
 *
 * <p>Published to the other modules' tests as this module's test-jar.
 */
public final class OpCatalogue {
    public static final String CONV2D = "conv2d";
    public static final String CONV2D_EPILOGUE = "conv2d_epilogue";
    public static final String MAXPOOL2D = "maxpool2d";
    public static final String AVGPOOL2D = "avgpool2d";
    public static final String GLOBAL_AVGPOOL = "global_avgpool";
    public static final String BATCHNORM2D = "batchnorm2d";
    public static final String BATCHNORM2D_RELU = "batchnorm2d_relu";
    public static final String ADD_RELU = "add_relu";
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
        return List.of(ConvolutionEntries.conv2d(), ConvolutionEntries.conv2dEpilogue(), PoolingEntries.maxpool2d(), PoolingEntries.avgpool2d(),
                PoolingEntries.globalAvgpool(), BatchNormEntries.batchnorm2d(), FusedReluEntries.batchnorm2dRelu(),
                FusedReluEntries.addRelu(), SoftmaxEntries.softmax(),
                SoftmaxEntries.logSoftmax(), AttentionEntries.sasaAttention(), SanEntries.sanAggregation(),
                SanEntries.sanSubtraction2(), SanEntries.sanNeighbourhood(), ElementwiseEntries.elementwiseUnary(),
                ElementwiseEntries.elementwiseBinary(), ElementwiseEntries.where(), ReductionEntries.sum(),
                ReductionEntries.mean(), ReductionEntries.max(), ReductionEntries.var(), ReductionEntries.argmax(),
                GemmEntries.gemm(), GemmEntries.matmul(), ChannelAffineEntries.channelAffine());
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
}
