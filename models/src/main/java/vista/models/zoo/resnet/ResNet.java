package vista.models.zoo.resnet;

import java.util.ArrayList;
import java.util.List;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Flatten;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.inference.Foldable;
import vista.nn.inference.Folding;
import vista.nn.sasa.AttentionStem;
import vista.tensor.Rng;

/**
 * A bottleneck ResNet, or SASA-ResNet, built from a {@link ResNetSpec}:
 * <pre>
 *   stem:  conv1 -> bn1 -> relu [-> maxpool 3x3/2]        (the convolution stem)
 *      or  stem -> bn1 -> relu -> maxpool s x s / s        (SASA's attention stem, blocks of side s)
 *   body:  layer1, layer2, ... : Sequential of {@link Bottleneck} blocks, the first of each stage with the
 *          stage's stride; their spatial layer is the spec's (3x3 conv or SASA attention)
 *   head:  global average pool -> flatten -> fc (Linear, with bias)
 * </pre>
 * Names and registration order are torchvision's (and the PyTorch peer's for SASA), so a state dict maps
 * one to one onto PyTorch's. Initialisation as torchvision: convolutions, SASA's projections included,
 * Kaiming-normal (fan_out, gain sqrt 2), BatchNorm scale 1 and shift 0, the linear layer PyTorch's default
 * uniform; SASA's relative embeddings N(0, 1 / dh) as the peer's; the attention stem's as
 * {@link AttentionStem} states; all drawn from {@code rng} in registration order. The attention stem is
 * registered as {@code stem} ({@code stem.q_proj.weight}, ...): it is not a convolution, and no PyTorch
 * model fixes its name.
 */
public final class ResNet extends Module implements Foldable {
    private final Module stem;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential[] stages;
    private final Module pool = new GlobalAvgPool2d();
    private final Module flatten = new Flatten();
    private final Linear fc;

    public ResNet(ResNetSpec spec, Rng rng) {
        switch (spec.stem()) {
            case ResNetSpec.Stem conv -> {
                stem = registerModule("conv1", Bottleneck.conv(spec.inChannels(), conv.outChannels(), conv.kernel(),
                        conv.stride(), conv.padding(), rng));
                maxpool = conv.maxPool() ? new MaxPool2d(3, 2, 1) : null;
            }
            case ResNetSpec.SelfAttentionStem attention -> {
                stem = registerModule("stem", AttentionStem.builder().setChannels(spec.inChannels(),
                        attention.outChannels()).optBlock(attention.block()).optHeads(attention.heads())
                        .optMixtures(attention.mixtures()).optRelativeLogits(attention.relativeLogits())
                        .optScaledLogits(attention.scaledLogits()).build(rng));
                maxpool = new MaxPool2d(attention.block());
            }
        }
        bn1 = registerModule("bn1", new BatchNorm2d(spec.stem().outChannels()));
        int[] blocks = spec.blocksPerStage();
        int[] widths = spec.midWidths();
        int[] strides = spec.strides();
        stages = new Sequential[blocks.length];
        int in = spec.stem().outChannels();
        for (int s = 0; s < blocks.length; s++) {
            Bottleneck[] stage = new Bottleneck[blocks[s]];
            for (int b = 0; b < blocks[s]; b++) {
                stage[b] = new Bottleneck(in, widths[s], spec.expansion(), b == 0 ? strides[s] : 1,
                        spec.zeroInitLastNorm(), spec.spatial(), rng);
                in = spec.expansion() * widths[s];
            }
            stages[s] = registerModule("layer" + (s + 1), new Sequential(stage));
        }
        fc = registerModule("fc", new Linear(in, spec.numClasses(), rng));
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = bn1.forwardRelu(stem.forward(x));
        if (maxpool != null) {
            y = maxpool.forward(y);
        }
        for (Sequential stage : stages) {
            y = stage.forward(y);
        }
        return fc.forward(flatten.forward(pool.forward(y)));
    }

    /**
     * The inference form, as one {@link Folding#sequence}: the convolution stem with bn1 and its ReLU as one
     * layer (the attention stem, bn1 and the ReLU kept as they are), the max pool, every block's inference
     * form ({@link Bottleneck#folded}), and the head as it is.
     */
    @Override
    public Module folded() {
        List<Module> layers = new ArrayList<>(List.of(stem, bn1, new ReLU()));
        if (maxpool != null) {
            layers.add(maxpool);
        }
        layers.addAll(List.of(stages));
        layers.addAll(List.of(pool, flatten, fc));
        return Folding.sequence(layers.toArray(Module[]::new));
    }
}
