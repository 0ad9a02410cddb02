package vista.models.zoo.resnet;

import vista.autograd.Variable;
import vista.autograd.functions.AddRelu;
import vista.models.zoo.resnet.ResNetSpec.Spatial;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Init;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.nn.inference.Foldable;
import vista.nn.inference.FoldedResidualBlock;
import vista.nn.inference.Folding;
import vista.nn.inference.InferenceConv2d;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;

/**
 * The bottleneck residual block (torchvision v1.5, stride on the spatial layer):
 * <pre>
 *   y = relu( bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x)))))))) + shortcut(x) )
 * </pre>
 * conv1 is 1x1 {@code in -> m}, conv2 the spatial layer {@code m -> m} with the block's stride, conv3
 * 1x1 {@code m -> expansion m}; no convolution has a bias. conv2 is a 3x3 convolution with padding 1 in
 * a ResNet, or in a SASA-ResNet a {@link LocalSelfAttention2d} (stride 2: attention, then 2x2 average
 * pooling), as {@link Spatial} says. The shortcut is x itself, or, when the stride is not 1 or the
 * width changes, {@code downsample} = 1x1 conv with the stride, then BatchNorm. Parameter names follow
 * torchvision and the PyTorch peer: {@code conv1.weight}, {@code bn1.weight}, ..., {@code conv2.weight}
 * or {@code conv2.rel_row}, {@code conv2.q_proj.weight}, ..., {@code downsample.0.weight},
 * {@code downsample.1.running_mean}.
 *
 * <p>Each norm runs with its ReLU in one pass ({@link BatchNorm2d#forwardRelu}) and the residual sum with
 * the block's ReLU ({@link AddRelu}), with the bits of the formula above computed step by step.
 *
 * <p>A stride-2 attention block needs an even input size: its pool gives {@code H div 2} and the
 * shortcut's 1x1 stride-2 convolution {@code ceil(H / 2)}, which differ for odd H (as in the peer).
 */
public final class Bottleneck extends Module implements Foldable {
    private final int stride;
    private final boolean attention;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Module conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Sequential downsample;

    /** A ResNet block: the spatial layer is the 3x3 convolution. */
    public Bottleneck(int in, int mid, int expansion, int stride, boolean zeroInitLastNorm, Rng rng) {
        this(in, mid, expansion, stride, zeroInitLastNorm, Spatial.convolution3x3(), rng);
    }

    /** A block with the given spatial layer; parameters drawn from {@code rng} in registration order. */
    public Bottleneck(int in, int mid, int expansion, int stride, boolean zeroInitLastNorm, Spatial spatial, Rng rng) {
        int out = expansion * mid;
        this.stride = stride;
        this.attention = spatial instanceof Spatial.SelfAttention;
        conv1 = registerModule("conv1", conv(in, mid, 1, 1, 0, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(mid));
        conv2 = registerModule("conv2", switch (spatial) {
            case Spatial.Convolution3x3 c -> conv(mid, mid, 3, stride, 1, rng);
            case Spatial.SelfAttention a -> LocalSelfAttention2d.builder().setChannels(mid, mid).optHeads(a.heads())
                    .optKernel(a.kernel()).optBorder(a.border()).optScaledLogits(a.scaledLogits())
                    .optUnitEmbeddings(a.unitEmbeddings()).optStride(stride)
                    .build(rng);
        });
        bn2 = registerModule("bn2", new BatchNorm2d(mid));
        conv3 = registerModule("conv3", conv(mid, out, 1, 1, 0, rng));
        bn3 = registerModule("bn3", new BatchNorm2d(out));
        if (zeroInitLastNorm) {
            Init.zeros(bn3.weight().data());
        }
        downsample = stride != 1 || in != out
                ? registerModule("downsample", new Sequential(conv(in, out, 1, stride, 0, rng), new BatchNorm2d(out)))
                : null;
    }

    static Conv2d conv(int in, int out, int kernel, int stride, int padding, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(kernel).optStride(stride).optPadding(padding)
                .optBias(false).build(rng);
    }

    @Override
    public Variable forward(Variable x) {
        if (attention && stride == 2 && x.rank() == 4 && (x.dims()[2] % 2 != 0 || x.dims()[3] % 2 != 0)) {
            throw new IllegalArgumentException("Bottleneck with " + conv2 + ": a stride-2 attention block needs an even "
                    + "input size (its 2x2 average pool gives H div 2, the 1x1 stride-2 shortcut ceil(H / 2)), got "
                    + x.shape() + "; choose an image size that stays even down to this stage");
        }
        Variable y = bn1.forwardRelu(conv1.forward(x));
        y = bn2.forwardRelu(conv2.forward(y));
        y = bn3.forward(conv3.forward(y));
        Variable shortcut = downsample == null ? x : downsample.forward(x);
        return new AddRelu().apply(y, shortcut);
    }

    /**
     * The inference form: conv1 with bn1 and its ReLU, the spatial layer with bn2 and its ReLU (a 3x3
     * convolution, or a masked-border attention layer with bn2 folded into its values), conv3 with bn3,
     * the shortcut's add and the block's ReLU in one epilogue, and the downsample's convolution with its
     * norm ({@link FoldedResidualBlock}).
     */
    @Override
    public Module folded() {
        Module body = new Sequential(InferenceConv2d.folding(conv1, bn1, true), Folding.withNorm(conv2, bn2, true));
        return new FoldedResidualBlock(body, InferenceConv2d.folding(conv3, bn3, true),
                downsample == null ? null : Folding.fold(downsample));
    }
}
