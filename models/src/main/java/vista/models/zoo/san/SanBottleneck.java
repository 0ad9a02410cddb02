package vista.models.zoo.san;

import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.inference.Foldable;
import vista.nn.inference.FoldedResidualBlock;
import vista.nn.inference.Folding;
import vista.nn.inference.InferenceConv2d;
import vista.nn.inference.InferenceNormRelu;
import vista.nn.san.SanAttentionShape;
import vista.tensor.Rng;

/**
 * SAN's residual block (pre-activation, the official {@code Bottleneck}):
 * <pre>
 *   y = x + conv( relu(bn2( sam( relu(bn1(x)) ) )) )
 * </pre>
 * with {@code sam} a pairwise or patchwise attention block {@code c -> mid} and {@code conv} a 1x1
 * convolution {@code mid -> c} with bias. Parameter names follow the official code: {@code bn1.*},
 * {@code sam.conv1.weight}, ..., {@code bn2.*}, {@code conv.weight}, {@code conv.bias}; the ReLU is one
 * registered layer used twice, as there, so summaries count both calls. Each norm runs with its ReLU in one
 * pass ({@link BatchNorm2d#forwardRelu(Variable, ReLU)}), the same bits as the two steps.
 */
public final class SanBottleneck extends Module implements Foldable {
    private final BatchNorm2d bn1;
    private final Module sam;
    private final BatchNorm2d bn2;
    private final Conv2d conv;
    private final ReLU relu;

    /** A block of width {@code shape.inChannels()} around {@code attention}. */
    public SanBottleneck(SanSpec.Attention attention, SanAttentionShape shape, Rng rng) {
        bn1 = registerModule("bn1", new BatchNorm2d(shape.inChannels()));
        sam = registerModule("sam", attention.block(shape, rng.split("sam")));
        bn2 = registerModule("bn2", new BatchNorm2d(shape.outChannels()));
        conv = registerModule("conv", Conv2d.builder().setChannels(shape.outChannels(), shape.inChannels())
                .setKernel(1).optInitialisation(Conv2d.Initialisation.PYTORCH_DEFAULT).build(rng.split("conv")));
        relu = registerModule("relu", new ReLU());
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = sam.forward(bn1.forwardRelu(x, relu));
        return x.add(conv.forward(bn2.forwardRelu(y, relu)));
    }

    /**
     * The inference form: each norm with its ReLU in one per-channel pass (they follow no convolution, so
     * nothing folds them), the attention block as it is, and the shortcut's add in the 1x1 convolution's
     * epilogue ({@link FoldedResidualBlock}).
     */
    @Override
    public Module folded() {
        Module body = new Sequential(new InferenceNormRelu(bn1), Folding.fold(sam), new InferenceNormRelu(bn2));
        return new FoldedResidualBlock(body, InferenceConv2d.of(conv, false), null);
    }
}
