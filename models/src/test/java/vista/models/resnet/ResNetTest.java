package vista.models.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

class ResNetTest {

    private static ResNet imagenet(int... blocks) {
        return new ResNet(ResNetSpec.standard(blocks, ResNetSpec.Stem.imagenet(), 3, 1000), new Rng(0));
    }

    @Test
    void parameterCountsMatchThePapers() {
        assertEquals(25_557_032, imagenet(3, 4, 6, 3).parameterCount(), "ResNet-50, as torchvision");
        assertEquals(13.7e6, imagenet(1, 2, 4, 1).parameterCount(), 0.05e6, "ResNet-26, SASA Table 1");
        assertEquals(19.6e6, imagenet(2, 3, 5, 2).parameterCount(), 0.05e6, "ResNet-38, SASA Table 1");
    }

    @Test
    void namesFollowTorchvision() {
        List<String> names = List.copyOf(imagenet(1, 2, 4, 1).stateDict().keySet());
        assertEquals("conv1.weight", names.get(0));
        assertEquals(List.of("bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"), names.subList(1, 5));
        assertEquals("layer1.0.conv1.weight", names.get(5));
        assertTrue(names.contains("layer2.0.downsample.0.weight"));
        assertTrue(names.contains("layer2.0.downsample.1.running_var"));
        assertTrue(!names.contains("layer2.1.downsample.0.weight"), "only the first block of a stage downsamples");
        assertEquals(List.of("fc.weight", "fc.bias"), names.subList(names.size() - 2, names.size()));
    }

    @Test
    void smallVariantKeepsResolutionUntilTheStridedStages() {
        ResNet net = new ResNet(new ResNetSpec(1, 10, new ResNetSpec.Stem(8, 3, 1, 1, false), new int[] {1, 1},
                new int[] {4, 8}, new int[] {1, 2}, 4, false), new Rng(1));
        Variable logits = net.forward(new Variable(Tensor.randn(new Rng(2), 2, 1, 12, 12)));
        assertEquals(List.of(2, 10), List.of(logits.dims()[0], logits.dims()[1]));
    }
}
