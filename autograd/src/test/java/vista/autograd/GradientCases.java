package vista.autograd;

import static vista.tensor.kernels.OpCatalogue.ADD_RELU;
import static vista.tensor.kernels.OpCatalogue.ARGMAX;
import static vista.tensor.kernels.OpCatalogue.AVGPOOL2D;
import static vista.tensor.kernels.OpCatalogue.BATCHNORM2D;
import static vista.tensor.kernels.OpCatalogue.BATCHNORM2D_RELU;
import static vista.tensor.kernels.OpCatalogue.CHANNEL_AFFINE;
import static vista.tensor.kernels.OpCatalogue.CONV2D;
import static vista.tensor.kernels.OpCatalogue.CONV2D_EPILOGUE;
import static vista.tensor.kernels.OpCatalogue.ELEMENTWISE_BINARY;
import static vista.tensor.kernels.OpCatalogue.ELEMENTWISE_UNARY;
import static vista.tensor.kernels.OpCatalogue.GEMM;
import static vista.tensor.kernels.OpCatalogue.GLOBAL_AVGPOOL;
import static vista.tensor.kernels.OpCatalogue.LOG_SOFTMAX;
import static vista.tensor.kernels.OpCatalogue.MATMUL;
import static vista.tensor.kernels.OpCatalogue.MAX;
import static vista.tensor.kernels.OpCatalogue.MAXPOOL2D;
import static vista.tensor.kernels.OpCatalogue.MEAN;
import static vista.tensor.kernels.OpCatalogue.SAN_AGGREGATION;
import static vista.tensor.kernels.OpCatalogue.SAN_NEIGHBOURHOOD;
import static vista.tensor.kernels.OpCatalogue.SAN_SUBTRACTION2;
import static vista.tensor.kernels.OpCatalogue.SASA_ATTENTION;
import static vista.tensor.kernels.OpCatalogue.SOFTMAX;
import static vista.tensor.kernels.OpCatalogue.SUM;
import static vista.tensor.kernels.OpCatalogue.VAR;
import static vista.tensor.kernels.OpCatalogue.WHERE;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import vista.autograd.functions.AddRelu;
import vista.autograd.functions.Aggregation;
import vista.autograd.functions.AveragePooling;
import vista.autograd.functions.BatchNorm;
import vista.autograd.functions.BatchNormRelu;
import vista.autograd.functions.Convolution;
import vista.autograd.functions.GlobalAveragePooling;
import vista.autograd.functions.LocalSelfAttention;
import vista.autograd.functions.MaxPooling;
import vista.autograd.functions.Neighbourhood;
import vista.autograd.functions.Subtraction2;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.geometry.Footprint;
import vista.tensor.geometry.Footprint.Padding;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.OpCatalogue;

/**
 * The gradient part of the op catalogue: every differentiable operation of {@link Variable}, each with
 * inputs away from its non-differentiable points, and the broadcasting, reduction and layout variants
 * that have their own backward paths. A case is keyed by the name of its op in the tensor module's
 * {@link OpCatalogue} (the parity fixtures' op names), or, for an op composed of others, by a name in
 * the same style ({@link #MOVEMENT}, {@link #LAYER_NORM}, ...). One list feeds every gradient test.
 */
final class GradientCases {
    /** Ops that only move floats (reshape, permute, slice, expand, concat, stack, pad): no kernel entry. */
    static final String MOVEMENT = "movement";
    /** Layer normalisation, composed of reductions and elementwise ops. */
    static final String LAYER_NORM = "layer_norm";
    /** Cross-entropy of a linear layer (the parity ops cross_entropy and linear), composed of other ops. */
    static final String CROSS_ENTROPY = "cross_entropy";
    /** SAN's subtraction of one map, x - x[neighbour]: the san_subtraction2 kernel with x as both operands. */
    static final String SAN_SUBTRACTION = "san_subtraction";
    static final String SAN = "san";

    /**
     * Catalogue entries without a differentiable function of their own: GEMM runs inside matmul and
     * convolution, the channel affine maps inside batch normalisation, argmax has no gradient, and the
     * convolution's epilogue serves inference only (the network it replaces is gradient-checked op by op).
     */
    static final Set<String> WITHOUT_GRADIENT = Set.of(GEMM, CHANNEL_AFFINE, ARGMAX, CONV2D_EPILOGUE);

    /**
     * One gradient check of the op named {@code op}: {@code f} at {@code inputs}, with the inputs listed in
     * {@code excluded} held constant.
     */
    record GradientCase(String op, String name, GradCheck.Computation f, Tensor[] inputs, int... excluded) {
        GradCheck check() {
            return GradCheck.of(f, inputs).exclude(excluded);
        }

        @Override
        public String toString() {
            return op + ": " + name;
        }
    }

    private GradientCases() {
    }

    static List<GradientCase> all() {
        Rng rng = new Rng(2024);
        List<GradientCase> cases = new ArrayList<>();

        cases.add(new GradientCase(ELEMENTWISE_UNARY, "neg", x -> x[0].neg(), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "exp", x -> x[0].exp(), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "log", x -> x[0].log(), inputs(positive(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "sqrt", x -> x[0].sqrt(), inputs(positive(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "abs", x -> x[0].abs(), inputs(awayFromZero(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "relu", x -> x[0].relu(), inputs(awayFromZero(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "sigmoid", x -> x[0].sigmoid(), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_UNARY, "tanh", x -> x[0].tanh(), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "pow with integer constant exponent, negative bases",
                x -> x[0].pow(3), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "pow with fractional constant exponent",
                x -> x[0].pow(-1.5), inputs(positive(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "pow with variable base and exponent",
                x -> x[0].pow(x[1]), inputs(positive(rng, 2, 3), normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "pow with negative bases and an excluded integer exponent",
                x -> x[0].pow(x[1]), inputs(normal(rng, 2, 3), Tensor.fromArray(new float[] {1, 2, 3}, 3)), 1));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "scalar overloads add, mul, sub, div",
                x -> x[0].add(2).mul(3).sub(1).div(4), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "same variable as both operands",
                x -> x[0].mul(x[0]).div(x[0].exp()), inputs(normal(rng, 2, 3))));

        cases.add(new GradientCase(ELEMENTWISE_BINARY, "add [2,3,4] + [3,1]",
                x -> x[0].add(x[1]), inputs(normal(rng, 2, 3, 4), normal(rng, 3, 1))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "sub [4] - [2,3,4]",
                x -> x[0].sub(x[1]), inputs(normal(rng, 4), normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "mul [4] * [2,3,4]",
                x -> x[0].mul(x[1]), inputs(normal(rng, 4), normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "div [2,3,4] / [3,1]",
                x -> x[0].div(x[1]), inputs(normal(rng, 2, 3, 4), positive(rng, 3, 1))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "div by a rank-0 variable",
                x -> x[0].div(x[1]), inputs(normal(rng, 2, 3), positive(rng))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "maximum [2,3] with [3]",
                x -> x[0].maximum(x[1]), inputs(distinct(rng, 2, 3), distinct(rng, 3))));
        cases.add(new GradientCase(ELEMENTWISE_BINARY, "minimum [2,1] with [2,3]",
                x -> x[0].minimum(x[1]), inputs(distinct(rng, 2, 1), distinct(rng, 2, 3))));
        cases.add(new GradientCase(WHERE, "where with condition [3], a [2,3], b [2,1]",
                x -> Variable.where(Tensor.fromArray(new float[] {1, 0, 1}, 3), x[0], x[1]),
                inputs(normal(rng, 2, 3), normal(rng, 2, 1))));

        cases.add(new GradientCase(SUM, "sum of all elements", x -> x[0].sum(), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(SUM, "sum over axes [0, 2]",
                x -> x[0].sum(new int[] {0, 2}, false), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(SUM, "sum over axis -1, keepdim",
                x -> x[0].sum(new int[] {-1}, true), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MEAN, "mean of all elements", x -> x[0].mean(), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MEAN, "mean over axis 1",
                x -> x[0].mean(new int[] {1}, false), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MEAN, "mean over axes [0, 2], keepdim",
                x -> x[0].mean(new int[] {0, 2}, true), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MAX, "max of all elements", x -> x[0].max(), inputs(distinct(rng, 2, 3, 4))));
        cases.add(new GradientCase(MAX, "max over axis 1",
                x -> x[0].max(new int[] {1}, false), inputs(distinct(rng, 2, 3, 4))));
        cases.add(new GradientCase(MAX, "max over axes [0, 2], keepdim",
                x -> x[0].max(new int[] {0, 2}, true), inputs(distinct(rng, 2, 3, 4))));
        cases.add(new GradientCase(VAR, "unbiased var over axis 1",
                x -> x[0].var(new int[] {1}, false, 1), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(VAR, "population var over axes [0, 2], keepdim",
                x -> x[0].var(new int[] {0, 2}, true, 0), inputs(normal(rng, 2, 3, 4))));

        cases.add(new GradientCase(SOFTMAX, "softmax along axis 0",
                x -> x[0].softmax(0), inputs(normal(rng, 3, 4, 5))));
        cases.add(new GradientCase(SOFTMAX, "softmax along axis 1",
                x -> x[0].softmax(1), inputs(normal(rng, 3, 4, 5))));
        cases.add(new GradientCase(SOFTMAX, "softmax along axis -1",
                x -> x[0].softmax(-1), inputs(normal(rng, 3, 4, 5))));
        cases.add(new GradientCase(LOG_SOFTMAX, "logSoftmax along axis 0",
                x -> x[0].logSoftmax(0), inputs(normal(rng, 3, 4, 5))));
        cases.add(new GradientCase(LOG_SOFTMAX, "logSoftmax along axis 1",
                x -> x[0].logSoftmax(1), inputs(normal(rng, 3, 4, 5))));

        cases.add(new GradientCase(MATMUL, "matmul [3,4] x [4,5]",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 3, 4), normal(rng, 4, 5))));
        cases.add(new GradientCase(MATMUL, "batched matmul [2,1,3,4] x [3,4,5] broadcasts the batch",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 2, 1, 3, 4), normal(rng, 3, 4, 5))));
        cases.add(new GradientCase(MATMUL, "matmul [3,4] x [2,4,5] broadcasts the matrix",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 3, 4), normal(rng, 2, 4, 5))));
        cases.add(new GradientCase(MATMUL, "matmul vector [4] x [4,5]",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 4), normal(rng, 4, 5))));
        cases.add(new GradientCase(MATMUL, "matmul [2,3,4] x vector [4]",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 2, 3, 4), normal(rng, 4))));
        cases.add(new GradientCase(MATMUL, "matmul vector [4] x vector [4]",
                x -> x[0].matmul(x[1]), inputs(normal(rng, 4), normal(rng, 4))));

        cases.add(new GradientCase(MOVEMENT, "reshape [2,3,4] to [6,-1]",
                x -> x[0].reshape(6, -1), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MOVEMENT, "permute [2,3,4] by (2,0,1)",
                x -> x[0].permute(2, 0, 1), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MOVEMENT, "transpose axes 0 and -1",
                x -> x[0].transpose(0, -1), inputs(normal(rng, 2, 3, 4))));
        cases.add(new GradientCase(MOVEMENT, "slice axis 1 [1,3)",
                x -> x[0].slice(1, 1, 3), inputs(normal(rng, 2, 4, 3))));
        cases.add(new GradientCase(MOVEMENT, "slice axis -1 [0,2) of a permuted view",
                x -> x[0].permute(1, 0).slice(-1, 0, 2), inputs(normal(rng, 3, 4))));
        cases.add(new GradientCase(MOVEMENT, "expand [3,1] to [2,3,4]",
                x -> x[0].expand(2, 3, 4), inputs(normal(rng, 3, 1))));
        cases.add(new GradientCase(MOVEMENT, "unsqueeze axis 1 then -1",
                x -> x[0].unsqueeze(1).unsqueeze(-1), inputs(normal(rng, 2, 3))));
        cases.add(new GradientCase(MOVEMENT, "squeeze axis 1 of [2,1,3]",
                x -> x[0].squeeze(1), inputs(normal(rng, 2, 1, 3))));
        cases.add(new GradientCase(MOVEMENT, "concat [2,1,4], [2,3,4], [2,2,4] along axis 1",
                x -> Variable.concat(1, x[0], x[1], x[2]),
                inputs(normal(rng, 2, 1, 4), normal(rng, 2, 3, 4), normal(rng, 2, 2, 4))));
        cases.add(new GradientCase(MOVEMENT, "concat with a constant along axis 0",
                x -> Variable.concat(0, x[0], x[1]), inputs(normal(rng, 1, 3), normal(rng, 2, 3)), 1));
        cases.add(new GradientCase(MOVEMENT, "stack three [2,3] along axis 1",
                x -> Variable.stack(1, x[0], x[1], x[2]),
                inputs(normal(rng, 2, 3), normal(rng, 2, 3), normal(rng, 2, 3))));
        cases.add(new GradientCase(MOVEMENT, "pad [2,3] by (1,0) before and (2,1) after",
                x -> x[0].pad(new int[] {1, 0}, new int[] {2, 1}, 0.5), inputs(normal(rng, 2, 3))));

        cases.add(new GradientCase(LAYER_NORM, "layer normalisation over the last axis",
                x -> x[0].sub(x[0].mean(new int[] {-1}, true))
                        .div(x[0].var(new int[] {-1}, true, 0).add(1e-5).sqrt()),
                inputs(normal(rng, 3, 5))));
        cases.add(new GradientCase(CROSS_ENTROPY, "cross-entropy of a linear layer",
                x -> x[0].matmul(x[1]).add(x[2]).logSoftmax(1).mul(x[3]).sum().neg(),
                inputs(normal(rng, 4, 3), normal(rng, 3, 5), normal(rng, 5),
                        Tensor.fromArray(new float[] {
                            1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0}, 4, 5)), 3));
        cases.addAll(normalization(new Rng(5150)));
        cases.addAll(convolution(new Rng(2112)));
        cases.addAll(pooling(new Rng(2113)));
        cases.addAll(attention(new Rng(2114)));
        cases.addAll(san(new Rng(2115)));
        return cases;
    }

    /**
     * Training-mode batch normalisation (inputs x, γ, β), on its own random stream so that these cases
     * do not shift the inputs of the others.
     */
    private static List<GradientCase> normalization(Rng rng) {
        List<GradientCase> cases = new ArrayList<>();
        cases.add(new GradientCase(BATCHNORM2D, "batchNorm [3,2,2,3] with γ and β",
                x -> new BatchNorm(1e-5).apply(x[0], x[1], x[2]),
                inputs(normal(rng, 3, 2, 2, 3), positive(rng, 2), normal(rng, 2))));
        cases.add(new GradientCase(BATCHNORM2D, "batchNorm of a scaled, shifted rank-3 input [2,3,5]",
                x -> new BatchNorm(1e-5).apply(x[0].mul(3).add(2), x[1], x[2]),
                inputs(normal(rng, 2, 3, 5), positive(rng, 3), normal(rng, 3))));
        cases.add(new GradientCase(BATCHNORM2D, "batchNorm with batch 1 [1,2,3,2]",
                x -> new BatchNorm(1e-5).apply(x[0], x[1], x[2]),
                inputs(normal(rng, 1, 2, 3, 2), positive(rng, 2), normal(rng, 2))));
        cases.add(new GradientCase(BATCHNORM2D, "batchNorm of a (B, C, k*k, L) tensor [2,3,4,5] as in SAN",
                x -> new BatchNorm(1e-5).apply(x[0], x[1], x[2]),
                inputs(normal(rng, 2, 3, 4, 5), positive(rng, 3), normal(rng, 3))));
        cases.add(new GradientCase(BATCHNORM2D, "batchNorm with a constant input: γ and β only",
                x -> new BatchNorm(1e-5).apply(x[0], x[1], x[2]),
                inputs(normal(rng, 4, 2, 3), positive(rng, 2), normal(rng, 2)), 0));
        cases.add(new GradientCase(BATCHNORM2D_RELU, "batchNormRelu [4,2,2,3] with γ and β",
                x -> new BatchNormRelu(1e-5).apply(x[0], x[1], x[2]),
                inputs(centredAwayFromZero(rng, 2, 2, 2, 3), positive(rng, 2),
                        Tensor.fromArray(new float[] {0.05f, -0.05f}, 2))));
        cases.add(new GradientCase(BATCHNORM2D_RELU, "batchNormRelu of a (B, C, k*k, L) tensor [2,3,4,5] as in SAN",
                x -> new BatchNormRelu(1e-5).apply(x[0], x[1], x[2]),
                inputs(centredAwayFromZero(rng, 1, 3, 4, 5), positive(rng, 3), Tensor.zeros(3))));
        cases.add(new GradientCase(BATCHNORM2D_RELU, "batchNormRelu with a constant input: γ and β only",
                x -> new BatchNormRelu(1e-5).apply(x[0], x[1], x[2]),
                inputs(centredAwayFromZero(rng, 2, 2, 3), positive(rng, 2), Tensor.zeros(2)), 0));
        cases.add(new GradientCase(ADD_RELU, "addRelu [2,3,4]",
                x -> new AddRelu().apply(x[0], x[1]),
                inputs(awayFromZero(rng, 2, 3, 4), Tensor.uniform(rng, -0.1, 0.1, 2, 3, 4))));
        cases.add(new GradientCase(ADD_RELU, "addRelu of the same variable as both operands",
                x -> new AddRelu().apply(x[0], x[0]).mul(x[0]), inputs(awayFromZero(rng, 3, 5))));
        cases.add(new GradientCase(ADD_RELU, "addRelu with a constant second operand",
                x -> new AddRelu().apply(x[0], x[1]),
                inputs(awayFromZero(rng, 2, 3), Tensor.uniform(rng, -0.1, 0.1, 2, 3)), 1));
        return cases;
    }

    /** Convolution with every geometry setting (inputs x, weight and, where given, bias), on its own stream. */
    private static List<GradientCase> convolution(Rng rng) {
        List<GradientCase> cases = new ArrayList<>();
        ConvGeometry strided = ConvGeometry.convolution(3, 4, 3).stride(2).padding(1).build();
        cases.add(new GradientCase(CONV2D, "conv 3x3 stride 2 padding 1 with bias, odd sizes 7x6",
                x -> Convolution.apply(x[0], x[1], x[2], strided),
                inputs(normal(rng, 2, 3, 7, 6), normal(rng, 4, 3, 3, 3), normal(rng, 4))));
        ConvGeometry same = ConvGeometry.convolution(2, 3, 3).padding(1).build();
        cases.add(new GradientCase(CONV2D, "conv 3x3 padding 1 without bias, batch 1",
                x -> Convolution.apply(x[0], x[1], null, same), inputs(normal(rng, 1, 2, 5, 5), normal(rng, 3, 2, 3, 3))));
        ConvGeometry dilated = ConvGeometry.convolution(2, 2, 3).padding(2).dilation(2).build();
        cases.add(new GradientCase(CONV2D, "conv 3x3 dilation 2 padding 2",
                x -> Convolution.apply(x[0], x[1], null, dilated), inputs(normal(rng, 1, 2, 7, 8), normal(rng, 2, 2, 3, 3))));
        ConvGeometry grouped = ConvGeometry.convolution(4, 6, 3).padding(1).groups(2).build();
        cases.add(new GradientCase(CONV2D, "conv groups 2 with bias",
                x -> Convolution.apply(x[0], x[1], x[2], grouped),
                inputs(normal(rng, 2, 4, 5, 6), normal(rng, 6, 2, 3, 3), normal(rng, 6))));
        ConvGeometry depthwise = ConvGeometry.convolution(3, 3, 3).padding(1).groups(3).build();
        cases.add(new GradientCase(CONV2D, "depthwise conv 3x3",
                x -> Convolution.apply(x[0], x[1], null, depthwise), inputs(normal(rng, 1, 3, 5, 6), normal(rng, 3, 1, 3, 3))));
        ConvGeometry pointwise = ConvGeometry.convolution(4, 3, 1).stride(2).build();
        cases.add(new GradientCase(CONV2D, "conv 1x1 stride 2 with bias",
                x -> Convolution.apply(x[0], x[1], x[2], pointwise),
                inputs(normal(rng, 2, 4, 5, 7), normal(rng, 3, 4, 1, 1), normal(rng, 3))));
        ConvGeometry rectangular = ConvGeometry.convolution(2, 3, 3, 2).stride(2, 1).padding(1, 0).build();
        cases.add(new GradientCase(CONV2D, "conv with a 3x2 kernel, stride (2, 1), padding (1, 0)",
                x -> Convolution.apply(x[0], x[1], x[2], rectangular),
                inputs(normal(rng, 1, 2, 7, 5), normal(rng, 3, 2, 3, 2), normal(rng, 3))));
        cases.add(new GradientCase(CONV2D, "conv with a constant input: weight and bias only",
                x -> Convolution.apply(x[0], x[1], x[2], same),
                inputs(normal(rng, 2, 2, 4, 3), normal(rng, 3, 2, 3, 3), normal(rng, 3)), 0));
        return cases;
    }

    /** Max, average and global average pooling, with and without padding, on its own stream. */
    private static List<GradientCase> pooling(Rng rng) {
        List<GradientCase> cases = new ArrayList<>();
        ConvGeometry stem = ConvGeometry.pooling("MaxPool2d", 3).stride(2).padding(1).build();
        cases.add(new GradientCase(MAXPOOL2D, "max pool 3x3 stride 2 padding 1 (overlapping windows)",
                x -> MaxPooling.apply(x[0], stem), inputs(distinct(rng, 2, 2, 7, 6))));
        ConvGeometry halves = ConvGeometry.pooling("MaxPool2d", 2).build();
        cases.add(new GradientCase(MAXPOOL2D, "max pool 2x2, odd width",
                x -> MaxPooling.apply(x[0], halves), inputs(distinct(rng, 1, 3, 4, 7))));
        ConvGeometry average = ConvGeometry.pooling("AvgPool2d", 3).stride(2).padding(1).build();
        cases.add(new GradientCase(AVGPOOL2D, "avg pool 3x3 stride 2 padding 1, count_include_pad",
                x -> AveragePooling.apply(x[0], average, true), inputs(normal(rng, 2, 2, 7, 6))));
        ConvGeometry sliding = ConvGeometry.pooling("AvgPool2d", 3).stride(1).padding(1).build();
        cases.add(new GradientCase(AVGPOOL2D, "avg pool 3x3 stride 1 padding 1, padding not counted",
                x -> AveragePooling.apply(x[0], sliding, false), inputs(normal(rng, 1, 2, 5, 6))));
        ConvGeometry rectangular = ConvGeometry.pooling("AvgPool2d", 2, 3).stride(2, 1).build();
        cases.add(new GradientCase(AVGPOOL2D, "avg pool 2x3 stride (2, 1)",
                x -> AveragePooling.apply(x[0], rectangular, true), inputs(normal(rng, 2, 1, 5, 6))));
        cases.add(new GradientCase(GLOBAL_AVGPOOL, "global avg pool",
                x -> new GlobalAveragePooling().apply(x[0]), inputs(normal(rng, 2, 3, 4, 5))));
        return cases;
    }

    /**
     * SASA local self-attention (inputs q, k, v, relRow, relColumn) with both border modes, windows of 3
     * and 5, images smaller than the window and scaled logits, on its own stream.
     */
    private static List<GradientCase> attention(Rng rng) {
        List<GradientCase> cases = new ArrayList<>();
        cases.add(attention(rng, "k 3, mask, 2 heads of 2 channels, batch 2, 5x6",
                new LocalAttentionWindow(2, 3, Border.MASK, 1), 2, 4, 5, 6));
        cases.add(attention(rng, "k 3, zero, 2 heads of 4 channels, batch 1, 7x5",
                new LocalAttentionWindow(2, 3, Border.ZERO, 1), 1, 8, 7, 5));
        cases.add(attention(rng, "k 5, mask, 1 head of 6 channels, batch 2, 3x4 (smaller than the window)",
                new LocalAttentionWindow(1, 5, Border.MASK, 1), 2, 6, 3, 4));
        cases.add(attention(rng, "k 5, zero, 2 heads of 4 channels, batch 1, 2x7 (height below the window)",
                new LocalAttentionWindow(2, 5, Border.ZERO, 1), 1, 8, 2, 7));
        cases.add(attention(rng, "k 5, mask, 3 heads of 2 channels, batch 1, 7x5",
                new LocalAttentionWindow(3, 5, Border.MASK, 1), 1, 6, 7, 5));
        cases.add(attention(rng, "k 3, mask, scaled logits 1/sqrt(dh), 2 heads of 4 channels, batch 2, 4x5",
                new LocalAttentionWindow(2, 3, Border.MASK, LocalAttentionWindow.scaledLogitFactor(8, 2)),
                2, 8, 4, 5));
        cases.add(attention(rng, "k 3, zero, scaled logits 1/sqrt(dh), 1 head of 4 channels, batch 1, 3x2",
                new LocalAttentionWindow(1, 3, Border.ZERO, LocalAttentionWindow.scaledLogitFactor(4, 1)),
                1, 4, 3, 2));
        return cases;
    }

    private static GradientCase attention(Rng rng, String name, LocalAttentionWindow window, int batch, int channels,
            int height, int width) {
        int half = channels / window.heads() / 2;
        return new GradientCase(SASA_ATTENTION, name,
                x -> LocalSelfAttention.apply(x[0], x[1], x[2], x[3], x[4], window),
                inputs(normal(rng, batch, channels, height, width), normal(rng, batch, channels, height, width),
                        normal(rng, batch, channels, height, width), normal(rng, window.kernelSize(), half),
                        normal(rng, window.kernelSize(), half)));
    }

    /**
     * SAN's aggregation, subtraction (two maps and one) and neighbourhood with reflection and zero
     * padding, stride 2, dilation 2, odd and non-square images, a reflection as wide as the image allows
     * (pad = size - 1), and weights shared by every channel (Cw = 1) or by none (Cw = C).
     */
    private static List<GradientCase> san(Rng rng) {
        Footprint reflect3 = Footprint.of(3);
        Footprint zero3 = new Footprint(3, 1, 1, Padding.ZERO);
        Footprint reflectStride2 = new Footprint(3, 2, 1, Padding.REFLECT);
        Footprint zeroDilation2 = new Footprint(3, 1, 2, Padding.ZERO);
        Footprint reflectDilation2 = new Footprint(3, 1, 2, Padding.REFLECT);
        Footprint reflect5 = Footprint.of(5);
        List<GradientCase> cases = new ArrayList<>();
        cases.add(aggregation(rng, "aggregation k 3 reflect, 4 channels sharing 2 weight channels, 5x6", reflect3,
                2, 4, 2, 5, 6));
        cases.add(aggregation(rng, "aggregation k 3 zero, Cw = 1, 4x3", zero3, 1, 3, 1, 4, 3));
        cases.add(aggregation(rng, "aggregation k 3 reflect stride 2, Cw = C, 5x7", reflectStride2, 1, 2, 2, 5, 7));
        cases.add(aggregation(rng, "aggregation k 3 zero dilation 2, 6x5", zeroDilation2, 1, 4, 2, 6, 5));
        cases.add(aggregation(rng, "aggregation k 3 reflect dilation 2 (pad 2 on a 3-wide image), 4x3",
                reflectDilation2, 1, 2, 1, 4, 3));
        cases.add(aggregation(rng, "aggregation k 5 reflect (pad 2 on a 3-high image), 3x4", reflect5, 1, 2, 2, 3, 4));
        cases.add(subtraction(rng, "subtraction2 k 3 reflect, 5x4", reflect3, 2, 2, 5, 4));
        cases.add(subtraction(rng, "subtraction2 k 3 zero stride 2, 5x5", new Footprint(3, 2, 1, Padding.ZERO),
                1, 2, 5, 5));
        cases.add(subtraction(rng, "subtraction2 k 3 reflect dilation 2, 4x5", reflectDilation2, 1, 2, 4, 5));
        cases.add(new GradientCase(SAN_SUBTRACTION,
                "subtraction of one map (x - x[neighbour]), k 3 reflect stride 2, 5x3",
                x -> Subtraction2.single(x[0], reflectStride2), inputs(normal(rng, 1, 2, 5, 3))));
        cases.add(new GradientCase(SAN_NEIGHBOURHOOD, "neighbourhood k 3 reflect, 4x5",
                x -> Neighbourhood.apply(x[0], reflect3), inputs(normal(rng, 2, 2, 4, 5))));
        cases.add(new GradientCase(SAN_NEIGHBOURHOOD, "neighbourhood k 3 zero stride 2 dilation 2, 5x6",
                x -> Neighbourhood.apply(x[0], new Footprint(3, 2, 2, Padding.ZERO)), inputs(normal(rng, 1, 2, 5, 6))));
        return cases;
    }

    private static GradientCase aggregation(Rng rng, String name, Footprint footprint, int batch, int channels,
            int weightChannels, int height, int width) {
        int pixels = footprint.outputSize(height) * footprint.outputSize(width);
        return new GradientCase(SAN_AGGREGATION, name, x -> Aggregation.apply(x[0], x[1], footprint),
                inputs(normal(rng, batch, channels, height, width),
                        normal(rng, batch, weightChannels, footprint.neighbours(), pixels)));
    }

    private static GradientCase subtraction(Rng rng, String name, Footprint footprint, int batch, int channels,
            int height, int width) {
        return new GradientCase(SAN_SUBTRACTION2, name, x -> Subtraction2.apply(x[0], x[1], footprint),
                inputs(normal(rng, batch, channels, height, width), normal(rng, batch, channels, height, width)));
    }

    private static Tensor[] inputs(Tensor... tensors) {
        return tensors;
    }

    /** Standard normal values. */
    private static Tensor normal(Rng rng, int... dims) {
        return Tensor.randn(rng, dims);
    }

    /** Values in [0.5, 2): inside the domain of log, sqrt and fractional powers. */
    private static Tensor positive(Rng rng, int... dims) {
        return Tensor.uniform(rng, 0.5, 2, dims);
    }

    /** Normal values moved 0.25 away from 0, the kink of abs and relu. */
    private static Tensor awayFromZero(Rng rng, int... dims) {
        float[] values = Tensor.randn(rng, dims).toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] += Math.copySign(0.25f, values[i]);
        }
        return Tensor.fromArray(values, dims);
    }

    /**
     * {@link #awayFromZero} values of shape {@code dims} followed along axis 0 by their negations (axis 0 of
     * the result is twice {@code dims[0]}): every channel has mean 0 and values at least 0.25 from it, so
     * a batch normalisation's x̂ stays away from 0, the kink of a ReLU after it.
     */
    private static Tensor centredAwayFromZero(Rng rng, int... dims) {
        Tensor half = awayFromZero(rng, dims);
        return Tensor.concat(0, half, half.neg());
    }

    /**
     * A random arrangement of the values 0.3 k - 1 for k = 0, 1, ...: no ties within a tensor, gaps much
     * larger than the finite-difference step (for max, maximum, minimum). Tensors from separate calls
     * are offset by a random fraction of the gap, so they do not tie with each other either.
     */
    private static Tensor distinct(Rng rng, int... dims) {
        int n = Shape.of(dims).numel();
        float shift = 0.05f + 0.2f * rng.nextFloat();
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = 0.3f * k - 1 + shift;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return Tensor.fromArray(values, dims);
    }
}
