package vista.models.resnet;

import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Flatten;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.Rng;

/**
 * A bottleneck ResNet built from a {@link ResNetSpec}:
 * <pre>
 *   stem:  conv1 -> bn1 -> relu [-> maxpool 3x3/2]
 *   body:  layer1, layer2, ... : Sequential of {@link Bottleneck} blocks, the first of each stage with the
 *          stage's stride
 *   head:  global average pool -> flatten -> fc (Linear, with bias)
 * </pre>
 * Names and registration order are torchvision's, so a state dict maps one to one onto PyTorch's.
 * Initialisation as torchvision: convolutions Kaiming-normal (fan_out, gain sqrt 2), BatchNorm scale 1
 * and shift 0, the linear layer PyTorch's default uniform; all drawn from {@code rng} in registration
 * order.
 */
public final class ResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential[] stages;
    private final Module pool = new GlobalAvgPool2d();
    private final Module flatten = new Flatten();
    private final Linear fc;

    public ResNet(ResNetSpec spec, Rng rng) {
        ResNetSpec.Stem stem = spec.stem();
        conv1 = registerModule("conv1", Bottleneck.conv(spec.inChannels(), stem.outChannels(), stem.kernel(),
                stem.stride(), stem.padding(), rng));
        bn1 = registerModule("bn1", new BatchNorm2d(stem.outChannels()));
        maxpool = stem.maxPool() ? new MaxPool2d(3, 2, 1) : null;
        int[] blocks = spec.blocksPerStage();
        int[] widths = spec.midWidths();
        int[] strides = spec.strides();
        stages = new Sequential[blocks.length];
        int in = stem.outChannels();
        for (int s = 0; s < blocks.length; s++) {
            Bottleneck[] stage = new Bottleneck[blocks[s]];
            for (int b = 0; b < blocks[s]; b++) {
                stage[b] = new Bottleneck(in, widths[s], spec.expansion(), b == 0 ? strides[s] : 1,
                        spec.zeroInitLastNorm(), rng);
                in = spec.expansion() * widths[s];
            }
            stages[s] = registerModule("layer" + (s + 1), new Sequential(stage));
        }
        fc = registerModule("fc", new Linear(in, spec.numClasses(), rng));
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = bn1.forward(conv1.forward(x)).relu();
        if (maxpool != null) {
            y = maxpool.forward(y);
        }
        for (Sequential stage : stages) {
            y = stage.forward(y);
        }
        return fc.forward(flatten.forward(pool.forward(y)));
    }
}
