package vista.models.zoo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import vista.models.resnet.ResNet;
import vista.models.resnet.ResNetSpec;
import vista.nn.Module;
import vista.tensor.Rng;

/**
 * The models Vista can build by name, as {@code vista train --model NAME} and {@code vista summary}
 * take them.
 *
 * <ul>
 *   <li>{@code resnet26}, {@code resnet38}, {@code resnet50}: bottleneck ResNets with [1, 2, 4, 1],
 *       [2, 3, 5, 2] and [3, 4, 6, 3] blocks, widths 64-128-256-512 (x4), the ImageNet stem;</li>
 *   <li>{@code resnet26-small} etc.: the same with a 3x3 stride-1 stem and no max pool, for 28x28 and
 *       32x32 images (a 28x28 input reaches the head at 4x4);</li>
 *   <li>{@code resnet26-mini}: the PyTorch peer's {@code resnet26_mini}, for side-by-side timing and
 *       quick real runs: [1, 2, 4, 1] blocks, a 16-channel 3x3 stem, widths 16-32-64-128 (x4), strides
 *       1, 2, 2, 1 (28x28 -> 28, 14, 7, 7).</li>
 * </ul>
 */
public final class ModelZoo {
    /** What a model needs besides its name: the input channels, the number of classes and the RNG. */
    public record Request(int inChannels, int numClasses, Rng rng) {
    }

    private static final Map<String, Function<Request, Module>> MODELS = new LinkedHashMap<>();

    static {
        resnet("resnet26", new int[] {1, 2, 4, 1});
        resnet("resnet38", new int[] {2, 3, 5, 2});
        resnet("resnet50", new int[] {3, 4, 6, 3});
        MODELS.put("resnet26-mini", r -> new ResNet(new ResNetSpec(r.inChannels(), r.numClasses(),
                new ResNetSpec.Stem(16, 3, 1, 1, false), new int[] {1, 2, 4, 1}, new int[] {16, 32, 64, 128},
                new int[] {1, 2, 2, 1}, 4, false), r.rng()));
    }

    private ModelZoo() {
    }

    private static void resnet(String name, int[] blocks) {
        MODELS.put(name, r -> new ResNet(ResNetSpec.standard(blocks, ResNetSpec.Stem.imagenet(), r.inChannels(),
                r.numClasses()), r.rng()));
        MODELS.put(name + "-small", r -> new ResNet(ResNetSpec.standard(blocks, ResNetSpec.Stem.small(),
                r.inChannels(), r.numClasses()), r.rng()));
    }

    /** Every model name, in a stable order. */
    public static Set<String> names() {
        return MODELS.keySet();
    }

    /** Builds the model {@code name}, initialised from {@code request.rng()}. */
    public static Module create(String name, Request request) {
        Function<Request, Module> factory = MODELS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; the models are: " + String.join(", ", names()));
        }
        return factory.apply(request);
    }
}
