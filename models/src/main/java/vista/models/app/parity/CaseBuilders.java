package vista.models.app.parity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import vista.autograd.Variable;
import vista.autograd.functions.Aggregation;
import vista.autograd.functions.Subtraction2;
import vista.models.zoo.resnet.ResNet;
import vista.models.zoo.resnet.ResNetSpec;
import vista.models.zoo.resnet.ResNetSpec.Spatial;
import vista.models.zoo.san.San;
import vista.models.zoo.san.SanBottleneck;
import vista.models.zoo.san.SanSpec;
import vista.nn.AvgPool2d;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.san.SanAttentionShape;
import vista.nn.loss.CrossEntropyLoss;
import vista.tensor.Rng;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.geometry.Footprint;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * Builds what a parity case names, an op, a block or a whole model, from its {@code op} and
 * {@code attrs} (FORMAT.md sections 5 and 6), as Vista's own layers: the runner then loads the case's
 * parameters into them by name, so the names checked are Vista's.
 *
 * <p>An op of the vocabulary (or a model family) without a builder here is "not implemented yet": its
 * cases are skipped, not failed. Anything outside the vocabulary is an error. Attributes that ask for
 * something Vista does not do (say {@code ceil_mode} true) are errors naming the attribute, never
 * silently ignored.
 */
public final class CaseBuilders {
    /** Every op of FORMAT.md's vocabulary, in its order. */
    public static final List<String> VOCABULARY = List.of("conv2d", "linear", "batchnorm2d", "maxpool2d", "avgpool2d",
            "global_avgpool", "softmax", "cross_entropy", "sasa_attention", "san_subtraction", "san_subtraction2",
            "san_aggregation", "san_sam", "san_bottleneck", "model", CheckpointCase.OP);

    /** Every model family of FORMAT.md section 6. */
    public static final List<String> MODEL_FAMILIES = List.of("resnet", "sasa_resnet", "san");

    /**
     * What a case runs.
     *
     * @param module  the module holding the case's parameters and buffers and switching train/eval mode,
     *                or null for an op without state (softmax, cross-entropy)
     * @param forward the forward pass over the case's inputs
     */
    public record Subject(Module module, Forward forward) {
    }

    /** A forward pass over a case's inputs. */
    @FunctionalInterface
    public interface Forward {
        Variable apply(CaseInputs inputs);
    }

    private interface Builder {
        Subject build(ParityCase c, Attrs a);
    }

    private static final Map<String, Builder> OPS = new LinkedHashMap<>();
    private static final Map<String, Builder> MODELS = new LinkedHashMap<>();

    static {
        OPS.put("conv2d", CaseBuilders::conv2d);
        OPS.put("linear", CaseBuilders::linear);
        OPS.put("batchnorm2d", CaseBuilders::batchNorm2d);
        OPS.put("maxpool2d", CaseBuilders::maxPool2d);
        OPS.put("avgpool2d", CaseBuilders::avgPool2d);
        OPS.put("global_avgpool", CaseBuilders::globalAvgPool);
        OPS.put("softmax", CaseBuilders::softmax);
        OPS.put("cross_entropy", CaseBuilders::crossEntropy);
        OPS.put("sasa_attention", CaseBuilders::sasaAttention);
        OPS.put("san_subtraction", CaseBuilders::sanSubtraction);
        OPS.put("san_subtraction2", CaseBuilders::sanSubtraction2);
        OPS.put("san_aggregation", CaseBuilders::sanAggregation);
        OPS.put("san_sam", CaseBuilders::sanSam);
        OPS.put("san_bottleneck", CaseBuilders::sanBottleneck);
        OPS.put("model", CaseBuilders::model);
        MODELS.put("resnet", CaseBuilders::resnet);
        MODELS.put("sasa_resnet", CaseBuilders::sasaResnet);
        MODELS.put("san", CaseBuilders::san);
    }

    /** Parameters are overwritten by the case's; this only makes the layers' constructors happy. */
    private static final long INIT_SEED = 0;

    private CaseBuilders() {
    }

    /** The ops of the vocabulary Vista cannot build yet. */
    public static Set<String> notImplementedOps() {
        return VOCABULARY.stream().filter(op -> !OPS.containsKey(op) && !op.equals(CheckpointCase.OP))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The model families Vista cannot build yet. */
    public static Set<String> notImplementedModelFamilies() {
        return MODEL_FAMILIES.stream().filter(f -> !MODELS.containsKey(f))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Why the case cannot run yet ({@code op sasa_attention not implemented yet}, {@code model family san
     * not implemented yet}), or empty if Vista has what it names or the op is unknown (an error, reported
     * by {@link #build}).
     */
    public static Optional<String> notImplemented(ParityCase c) {
        if (notImplementedOps().contains(c.op())) {
            return Optional.of("op " + c.op() + " not implemented yet");
        }
        if (c.op().equals("model") && c.attrs().has("family")) {
            String family = c.attrs().string("family");
            if (notImplementedModelFamilies().contains(family)) {
                return Optional.of("model family " + family + " not implemented yet");
            }
        }
        return Optional.empty();
    }

    /**
     * Builds the case's op, block or model.
     *
     * @throws ParityException naming case.json if the op is unknown or not implemented, an attribute is
     *     missing or unsupported, or Vista rejects the settings
     */
    public static Subject build(ParityCase c) {
        Builder builder = OPS.get(c.op());
        if (builder == null) {
            throw new ParityException(c.caseFile() + ": op \"" + c.op() + "\" is "
                    + (VOCABULARY.contains(c.op()) ? "not implemented in Vista yet" : "not in the fixtures' vocabulary ("
                    + String.join(", ", VOCABULARY) + ")"));
        }
        try {
            return builder.build(c, c.attrs());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParityException(c.caseFile() + ": Vista rejects this " + c.op() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- layers

    private static Subject conv2d(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        a.requireIfPresent("padding_mode", "zeros");
        int[] kernel = a.pair("kernel_size");
        int[] stride = a.pair("stride");
        int[] padding = a.pair("padding");
        int[] dilation = a.has("dilation") ? a.pair("dilation") : new int[] {1, 1};
        Conv2d conv = Conv2d.builder()
                .setChannels(a.integer("in_channels"), a.integer("out_channels"))
                .setKernel(kernel[0], kernel[1])
                .optStride(stride[0], stride[1])
                .optPadding(padding[0], padding[1])
                .optDilation(dilation[0], dilation[1])
                .optGroups(a.has("groups") ? a.integer("groups") : 1)
                .optBias(a.bool("bias"))
                .build(new Rng(INIT_SEED));
        return single(conv);
    }

    private static Subject linear(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        return single(new Linear(a.integer("in_features"), a.integer("out_features"), a.bool("bias"), new Rng(INIT_SEED)));
    }

    private static Subject batchNorm2d(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        a.requireIfPresent("affine", true);
        a.requireIfPresent("track_running_stats", true);
        double eps = a.has("eps") ? a.number("eps") : BatchNorm2d.DEFAULT_EPS;
        double momentum = a.has("momentum") ? a.number("momentum") : BatchNorm2d.DEFAULT_MOMENTUM;
        return single(new BatchNorm2d(a.integer("num_features"), eps, momentum));
    }

    private static Subject maxPool2d(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        a.requireIfPresent("ceil_mode", false);
        return single(new MaxPool2d(window("MaxPool2d", a)));
    }

    private static Subject avgPool2d(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        a.requireIfPresent("ceil_mode", false);
        if (!a.isNull("divisor_override")) {
            throw a.unsupported("divisor_override", "null");
        }
        return single(new AvgPool2d(window("AvgPool2d", a), a.has("count_include_pad") ? a.bool("count_include_pad") : true));
    }

    /** A pooling window from {@code kernel_size}, {@code stride} (default: the kernel), {@code padding}, {@code dilation}. */
    private static ConvGeometry window(String layer, Attrs a) {
        int[] kernel = a.pair("kernel_size");
        int[] stride = a.isNull("stride") ? kernel : a.pair("stride");
        int[] padding = a.has("padding") ? a.pair("padding") : new int[] {0, 0};
        int[] dilation = a.has("dilation") ? a.pair("dilation") : new int[] {1, 1};
        return ConvGeometry.pooling(layer, kernel[0], kernel[1]).stride(stride[0], stride[1])
                .padding(padding[0], padding[1]).dilation(dilation[0], dilation[1]).build();
    }

    private static Subject globalAvgPool(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        GlobalAvgPool2d pool = new GlobalAvgPool2d();
        boolean keepdim = !a.has("keepdim") || a.bool("keepdim");
        return new Subject(pool, in -> {
            Variable y = pool.forward(in.floats(0));
            return keepdim ? y : y.reshape(y.dims()[0], y.dims()[1]);
        });
    }

    private static Subject softmax(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        int dim = a.integer("dim");
        return new Subject(null, in -> in.floats(0).softmax(dim));
    }

    /**
     * Cross-entropy with {@code smoothing} {@code "none"}, {@code "torch"} (PyTorch's
     * {@code label_smoothing}: ε/K on every class) or {@code "san"} (the SAN code's: ε/(K-1) on the
     * other classes), as {@link CrossEntropyLoss} names them {@code TORCH} and {@code SAN}.
     */
    private static Subject crossEntropy(ParityCase c, Attrs a) {
        requireInputs(c, 2);
        a.requireIfPresent("reduction", "mean");
        double epsilon = a.has("label_smoothing") ? a.number("label_smoothing") : 0;
        String smoothing = a.has("smoothing") ? a.string("smoothing") : "none";
        CrossEntropyLoss loss = switch (smoothing) {
            case "none" -> {
                if (epsilon != 0) {
                    throw a.error("label_smoothing", "is " + epsilon + " but smoothing is \"none\"");
                }
                yield new CrossEntropyLoss();
            }
            case "torch" -> new CrossEntropyLoss(epsilon, CrossEntropyLoss.Smoothing.TORCH);
            case "san" -> new CrossEntropyLoss(epsilon, CrossEntropyLoss.Smoothing.SAN);
            default -> throw a.unsupported("smoothing", "\"none\", \"torch\" or \"san\"");
        };
        int classes = a.integer("num_classes");
        return new Subject(null, in -> {
            Variable logits = in.floats(0);
            if (logits.rank() != 2 || logits.dims()[1] != classes) {
                throw new ParityException(c.caseFile() + ": cross_entropy with num_classes " + classes
                        + " needs logits (N, " + classes + "), got " + logits.shape());
            }
            return loss.forward(logits, in.ints(1));
        });
    }

    /**
     * SASA's layer ({@link LocalSelfAttention2d}): projections {@code in_channels -> out_channels},
     * {@code heads} of {@code head_dim} channels, a {@code kernel_size} window, {@code pad_mode} mask or
     * zero, {@code scale} null or {@code 1/sqrt(head_dim)}, and at {@code stride} 2 the 2x2 average pool
     * that {@code downsample} {@code "avgpool2x2"} names.
     */
    private static Subject sasaAttention(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        a.requireIfPresent("qkv_bias", false);
        int out = a.integer("out_channels");
        int heads = a.integer("heads");
        if (a.has("head_dim") && a.integer("head_dim") * heads != out) {
            throw a.error("head_dim", "is " + a.integer("head_dim") + ", but out_channels " + out + " / heads " + heads
                    + " gives " + (double) out / heads);
        }
        int stride = a.integer("stride");
        String pool = stride == 2 ? "avgpool2x2" : null;
        String declared = a.isNull("downsample") ? null : a.string("downsample");
        if (a.has("downsample") && !Objects.equals(declared, pool)) {
            throw a.unsupported("downsample", (pool == null ? "null" : "\"" + pool + "\"") + " at stride " + stride);
        }
        LocalSelfAttention2d layer = LocalSelfAttention2d.builder().setChannels(a.integer("in_channels"), out)
                .optHeads(heads).optKernel(a.integer("kernel_size")).optBorder(border(a))
                .optScaledLogits(scaledLogits(a, out, heads)).optStride(stride).build(new Rng(INIT_SEED));
        return single(layer);
    }

    /** {@code pad_mode}: {@code "mask"} or {@code "zero"}. */
    private static Border border(Attrs a) {
        return switch (a.string("pad_mode")) {
            case "mask" -> Border.MASK;
            case "zero" -> Border.ZERO;
            default -> throw a.unsupported("pad_mode", "\"mask\" or \"zero\"");
        };
    }

    /** {@code scale}: null (the paper: no factor) or the factor {@code 1/sqrt(dh)} of scaled attention. */
    private static boolean scaledLogits(Attrs a, int channels, int heads) {
        if (a.isNull("scale")) {
            return false;
        }
        double scaled = LocalAttentionWindow.scaledLogitFactor(channels, heads);
        if (Math.abs(a.number("scale") - scaled) > 1e-12 * scaled) {
            throw a.unsupported("scale", "null or 1/sqrt(dh) = " + scaled);
        }
        return true;
    }

    /** SAN's single-map subtraction {@code x[centre] - x[neighbour]} over the case's footprint. */
    private static Subject sanSubtraction(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        Footprint footprint = footprint(a);
        return new Subject(null, in -> Subtraction2.single(in.floats(0), footprint));
    }

    /** SAN's subtraction {@code x1[centre] - x2[neighbour]} over the case's footprint. */
    private static Subject sanSubtraction2(ParityCase c, Attrs a) {
        requireInputs(c, 2);
        Footprint footprint = footprint(a);
        return new Subject(null, in -> Subtraction2.apply(in.floats(0), in.floats(1), footprint));
    }

    /** SAN's aggregation of values x with weights w; {@code channels} and {@code weight_channels} are checked. */
    private static Subject sanAggregation(ParityCase c, Attrs a) {
        requireInputs(c, 2);
        Footprint footprint = footprint(a);
        return new Subject(null, in -> {
            Variable x = in.floats(0);
            Variable w = in.floats(1);
            if (a.has("channels") && x.dims()[1] != a.integer("channels")) {
                throw a.error("channels", "is " + a.integer("channels") + " but x has shape " + x.shape());
            }
            if (a.has("weight_channels") && w.dims()[1] != a.integer("weight_channels")) {
                throw a.error("weight_channels", "is " + a.integer("weight_channels") + " but w has shape " + w.shape());
            }
            return Aggregation.apply(x, w, footprint);
        });
    }

    /** A pairwise or patchwise SAN attention block ({@code SAM}) of the case's sizes. */
    private static Subject sanSam(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        return single(sanAttention(a).block(samShape(a, a.integer("out_planes")), new Rng(INIT_SEED)));
    }

    /** SAN's pre-activation bottleneck around a SAM of {@code mid_planes}; out_planes must equal in_planes. */
    private static Subject sanBottleneck(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        if (a.integer("out_planes") != a.integer("in_planes")) {
            throw a.unsupported("out_planes", "equal to in_planes (" + a.integer("in_planes") + "), as in the official "
                    + "residual block");
        }
        return single(new SanBottleneck(sanAttention(a), samShape(a, a.integer("mid_planes")), new Rng(INIT_SEED)));
    }

    /** {@code sa_type} 0 (pairwise, with softmax) or 1 (patchwise, without), with the official relations. */
    private static SanSpec.Attention sanAttention(Attrs a) {
        int type = a.integer("sa_type");
        if (type != 0 && type != 1) {
            throw a.unsupported("sa_type", "0 (pairwise) or 1 (patchwise)");
        }
        if (a.has("softmax") && a.bool("softmax") != (type == 0)) {
            throw a.unsupported("softmax", (type == 0) + " for sa_type " + type + ", as in the official code");
        }
        return type == 0 ? SanSpec.Attention.pairwise() : SanSpec.Attention.patchwise();
    }

    private static SanAttentionShape samShape(Attrs a, int outChannels) {
        a.requireIfPresent("bn_eps", BatchNorm2d.DEFAULT_EPS);
        a.requireIfPresent("bn_momentum", BatchNorm2d.DEFAULT_MOMENTUM);
        return new SanAttentionShape(a.integer("in_planes"), a.integer("rel_planes"), outChannels,
                a.integer("share_planes"), footprint(a));
    }

    /**
     * A {@link Footprint} from {@code kernel_size}, {@code stride} and {@code dilation} (default 1),
     * {@code pad_mode} reflect or zero, and {@code padding}, if given, checked against the official
     * {@code (dilation (k - 1) + 1) / 2}.
     */
    private static Footprint footprint(Attrs a) {
        Footprint footprint = new Footprint(a.integer("kernel_size"), a.has("stride") ? a.integer("stride") : 1,
                a.has("dilation") ? a.integer("dilation") : 1, padding(a));
        if (a.has("padding") && a.integer("padding") != footprint.pad()) {
            throw a.unsupported("padding", footprint.pad() + ", the official (dilation (k - 1) + 1) / 2");
        }
        return footprint;
    }

    /** {@code pad_mode}: {@code "reflect"} (the official models') or {@code "zero"}. */
    private static Footprint.Padding padding(Attrs a) {
        return switch (a.string("pad_mode")) {
            case "reflect" -> Footprint.Padding.REFLECT;
            case "zero" -> Footprint.Padding.ZERO;
            default -> throw a.unsupported("pad_mode", "\"reflect\" or \"zero\"");
        };
    }

    // ---------------------------------------------------------------- models

    private static Subject model(ParityCase c, Attrs a) {
        requireInputs(c, 1);
        String family = a.string("family");
        Builder builder = MODELS.get(family);
        if (builder == null) {
            throw new ParityException(c.caseFile() + ": model family \"" + family + "\" is "
                    + (MODEL_FAMILIES.contains(family) ? "not implemented in Vista yet" : "unknown (the families are "
                    + String.join(", ", MODEL_FAMILIES) + ")"));
        }
        if (a.has("input_shape")) {
            int[] declared = a.integers("input_shape");
            int[] actual = c.tensor(c.inputs().get(0)).shape().dims();
            if (!Arrays.equals(declared, actual)) {
                throw a.error("input_shape", "is " + Arrays.toString(declared) + " but the input tensor has shape "
                        + Arrays.toString(actual));
            }
        }
        return builder.build(c, a);
    }

    /**
     * A bottleneck ResNet (FORMAT.md section 6, family {@code resnet}) as {@link ResNet} builds it from a
     * {@link ResNetSpec}: the stem's convolution as given, its max pool if not null (Vista's is the
     * ImageNet stem's 3x3 stride 2 padding 1), the stages from {@code blocks_per_stage},
     * {@code mid_widths} and {@code strides}; {@code spatial}, if given, must be the 3x3 convolution.
     */
    private static Subject resnet(ParityCase c, Attrs a) {
        if (a.has("spatial")) {
            a.object("spatial").requireIfPresent("kind", "conv3x3");
        }
        return single(new ResNet(resnetSpec(a), new Rng(INIT_SEED)));
    }

    /**
     * A SASA-ResNet (family {@code sasa_resnet}): the ResNet of {@link #resnet} with every bottleneck's
     * 3x3 convolution replaced by SASA attention of {@code spatial}'s {@code kernel_size}, {@code heads}
     * and {@code pad_mode}; {@code scale} must be null (one factor cannot be 1/sqrt(dh) for every stage).
     */
    private static Subject sasaResnet(ParityCase c, Attrs a) {
        Attrs spatial = a.object("spatial");
        spatial.requireIfPresent("kind", "sasa");
        if (!spatial.isNull("scale")) {
            throw spatial.unsupported("scale", "null (unscaled logits, as the paper and the peer's SASA-ResNets)");
        }
        Spatial attention = Spatial.selfAttention(spatial.integer("kernel_size"), spatial.integer("heads"),
                border(spatial));
        return single(new ResNet(resnetSpec(a).withSpatial(attention), new Rng(INIT_SEED)));
    }

    /**
     * A SAN (family {@code san}) as {@link San} builds it from a {@link SanSpec}: the 1x1 stem, then per
     * stage the pool flag, width, footprint and block count; {@code rel_planes} and {@code mid_planes},
     * if given, must be the official width/16 and width/4.
     */
    private static Subject san(ParityCase c, Attrs a) {
        a.requireIfPresent("transition", "maxpool2x2_conv1x1");
        a.requireIfPresent("head", "global_avgpool_linear");
        a.requireIfPresent("share_planes", 8);
        a.requireIfPresent("bn_eps", BatchNorm2d.DEFAULT_EPS);
        a.requireIfPresent("bn_momentum", BatchNorm2d.DEFAULT_MOMENTUM);
        Attrs stem = a.object("stem");
        stem.requireIfPresent("kind", "conv1x1_bn_relu");
        int[] widths = a.integers("widths");
        requireStageWidths(a, "rel_planes", widths, 16);
        requireStageWidths(a, "mid_planes", widths, 4);
        boolean[] pools = a.booleans("pools");
        SanSpec spec = new SanSpec(sanAttention(a), a.integer("in_channels"), a.integer("num_classes"),
                stem.integer("out_channels"), a.integers("blocks_per_stage"), widths, a.integers("kernels"), pools,
                padding(a));
        return single(new San(spec, new Rng(INIT_SEED)));
    }

    private static void requireStageWidths(Attrs a, String key, int[] widths, int divisor) {
        if (!a.has(key)) {
            return;
        }
        int[] expected = Arrays.stream(widths).map(w -> w / divisor).toArray();
        if (!Arrays.equals(a.integers(key), expected)) {
            throw a.unsupported(key, "each stage's width / " + divisor + " = " + Arrays.toString(expected)
                    + ", as in the official blocks");
        }
    }

    /** The attributes common to both ResNet families, as a spec with the 3x3 convolution. */
    private static ResNetSpec resnetSpec(Attrs a) {
        a.requireIfPresent("block", "bottleneck_v1.5");
        a.requireIfPresent("downsample", "conv1x1_bn");
        a.requireIfPresent("conv_bias", false);
        a.requireIfPresent("head", "global_avgpool_linear");
        a.requireIfPresent("bn_eps", BatchNorm2d.DEFAULT_EPS);
        a.requireIfPresent("bn_momentum", BatchNorm2d.DEFAULT_MOMENTUM);
        Attrs stem = a.object("stem");
        String kind = stem.string("kind");
        if (!kind.equals("small") && !kind.equals("imagenet")) {
            throw stem.unsupported("kind", "\"small\" or \"imagenet\"");
        }
        boolean maxPool = !stem.isNull("maxpool");
        if (maxPool) {
            Attrs pool = stem.object("maxpool");
            if (!Arrays.equals(pool.pair("kernel_size"), new int[] {3, 3}) || !Arrays.equals(pool.pair("stride"), new int[] {2, 2})
                    || !Arrays.equals(pool.pair("padding"), new int[] {1, 1})) {
                throw stem.unsupported("maxpool", "null or {kernel_size 3, stride 2, padding 1}");
            }
        }
        int expansion = a.integer("expansion");
        int[] mids = a.integers("mid_widths");
        if (a.has("out_widths")) {
            int[] outs = a.integers("out_widths");
            int[] expected = Arrays.stream(mids).map(m -> expansion * m).toArray();
            if (!Arrays.equals(outs, expected)) {
                throw a.error("out_widths", "is " + Arrays.toString(outs) + ", but expansion " + expansion
                        + " times mid_widths gives " + Arrays.toString(expected));
            }
        }
        ResNetSpec.Stem stemSpec = new ResNetSpec.Stem(stem.integer("out_channels"), stem.integer("conv_kernel"),
                stem.integer("conv_stride"), stem.integer("conv_padding"), maxPool);
        return new ResNetSpec(a.integer("in_channels"), a.integer("num_classes"), stemSpec,
                a.integers("blocks_per_stage"), mids, a.integers("strides"), expansion, false);
    }

    // ---------------------------------------------------------------- helpers

    /** A module applied to the case's one float input. */
    private static Subject single(Module module) {
        return new Subject(module, in -> module.forward(in.floats(0)));
    }

    private static void requireInputs(ParityCase c, int count) {
        if (c.inputs().size() != count) {
            throw new ParityException(c.caseFile() + ": " + c.op() + " takes " + count + " input" + (count == 1 ? "" : "s")
                    + ", but inputs lists " + c.inputs().size() + " (" + String.join(", ", c.inputs()) + ")");
        }
    }
}
