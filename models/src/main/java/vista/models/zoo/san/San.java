package vista.models.zoo.san;

import java.util.ArrayList;
import java.util.List;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Flatten;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.inference.Foldable;
import vista.nn.inference.Folding;
import vista.nn.san.SanAttentionShape;
import vista.tensor.Rng;
import vista.tensor.geometry.Footprint;

/**
 * A self-attention network (SAN10/15/19, pairwise or patchwise; Zhao, Jia and Koltun 2020), built from
 * a {@link SanSpec} with the official code's structure and parameter names:
 * <pre>
 *   x = relu(bn_in(conv_in(x)))                                    conv_in: 1x1, no bias
 *   for each stage i:  x = relu(bn_i(layer_i(conv_i(pool(x)))))   pool: 2x2 max if pools[i]; conv_i: 1x1, no bias
 *   y = fc(avgpool(x))
 * </pre>
 * {@code layer_i} holds the stage's {@link SanBottleneck}s. Every convolution and the linear head are
 * initialised as PyTorch's defaults, as the official code leaves them; BatchNorm starts at (1, 0).
 */
public final class San extends Module implements Foldable {
    private final SanSpec spec;
    private final Conv2d convIn;
    private final BatchNorm2d bnIn;
    private final ReLU relu;
    private final MaxPool2d pool;
    private final Conv2d[] transitions;
    private final Sequential[] layers;
    private final BatchNorm2d[] norms;
    private final GlobalAvgPool2d avgpool;
    private final Flatten flatten;
    private final Linear fc;

    /** The network of {@code spec}, its parameters drawn from {@code rng}. */
    public San(SanSpec spec, Rng rng) {
        this.spec = spec;
        convIn = registerModule("conv_in", pointwise(spec.inChannels(), spec.stemWidth(), rng.split("conv_in")));
        bnIn = registerModule("bn_in", new BatchNorm2d(spec.stemWidth()));
        int stages = spec.widths().length;
        transitions = new Conv2d[stages];
        layers = new Sequential[stages];
        norms = new BatchNorm2d[stages];
        int previous = spec.stemWidth();
        for (int i = 0; i < stages; i++) {
            int width = spec.widths()[i];
            transitions[i] = registerModule("conv" + i, pointwise(previous, width, rng.split("conv" + i)));
            norms[i] = registerModule("bn" + i, new BatchNorm2d(width));
            SanAttentionShape shape = new SanAttentionShape(width, width / 16, width / 4, 8,
                    new Footprint(spec.footprints()[i], 1, 1, spec.padding()));
            Module[] blocks = new Module[spec.blocksPerStage()[i]];
            for (int b = 0; b < blocks.length; b++) {
                blocks[b] = new SanBottleneck(spec.attention(), shape, rng.split("layer" + i + "." + b));
            }
            layers[i] = registerModule("layer" + i, new Sequential(blocks));
            previous = width;
        }
        relu = registerModule("relu", new ReLU());
        pool = registerModule("pool", new MaxPool2d(2));
        avgpool = registerModule("avgpool", new GlobalAvgPool2d());
        flatten = registerModule("flatten", new Flatten());
        fc = registerModule("fc", new Linear(previous, spec.numClasses(), rng.split("fc")));
    }

    private static Conv2d pointwise(int in, int out, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(1).optBias(false)
                .optInitialisation(Conv2d.Initialisation.PYTORCH_DEFAULT).build(rng);
    }

    @Override
    public Variable forward(Variable input) {
        if (input.rank() != 4 || input.dims()[1] != spec.inChannels()) {
            throw new IllegalArgumentException("SAN (" + spec.attention().kind() + "): expected images (N, "
                    + spec.inChannels() + ", H, W), got " + input.shape());
        }
        Variable x = bnIn.forwardRelu(convIn.forward(input), relu);
        for (int i = 0; i < layers.length; i++) {
            if (spec.pools()[i]) {
                x = pool.forward(x);
            }
            x = norms[i].forwardRelu(layers[i].forward(transitions[i].forward(x)), relu);
        }
        return fc.forward(flatten.forward(avgpool.forward(x)));
    }

    /**
     * The inference form, as one {@link Folding#sequence}: the stem's 1x1 convolution with bn_in and the
     * ReLU as one layer; each stage's norm, which follows a block's residual sum and no convolution, with
     * its ReLU in one pass; every block's inference form ({@link SanBottleneck#folded}); the transitions,
     * pools and head as they are.
     */
    @Override
    public Module folded() {
        List<Module> layers = new ArrayList<>(List.of(convIn, bnIn, relu));
        for (int i = 0; i < this.layers.length; i++) {
            if (spec.pools()[i]) {
                layers.add(pool);
            }
            layers.addAll(List.of(transitions[i], this.layers[i], norms[i], relu));
        }
        layers.addAll(List.of(avgpool, flatten, fc));
        return Folding.sequence(layers.toArray(Module[]::new));
    }

    public SanSpec spec() {
        return spec;
    }
}
