package vista.models.zoo.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.models.zoo.resnet.ResNetSpec.Spatial;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow.Border;

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

    @Test
    void aPlainSpecKeepsTheThreeByThreeConvolution() {
        ResNetSpec spec = ResNetSpec.standard(new int[] {1, 1, 1, 1}, ResNetSpec.Stem.small(), 1, 10);
        assertEquals(Spatial.convolution3x3(), spec.spatial());
        assertEquals(Spatial.selfAttention(7, 8, Border.MASK), spec.withSpatial(Spatial.selfAttention(7, 8, Border.MASK))
                .spatial());
    }

    @Test
    void sasaSpatialLayerReplacesTheConvolutionWithThePeersNames() {
        ResNetSpec spec = new ResNetSpec(1, 10, new ResNetSpec.Stem(8, 3, 1, 1, false), new int[] {1, 1},
                new int[] {4, 8}, new int[] {1, 2}, 4, false).withSpatial(Spatial.selfAttention(3, 2, Border.MASK));
        ResNet net = new ResNet(spec, new Rng(1));
        List<String> block = net.stateDict().keySet().stream().filter(k -> k.startsWith("layer2.0."))
                .map(k -> k.substring("layer2.0.".length())).toList();
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "conv2.rel_row", "conv2.rel_col", "conv2.q_proj.weight", "conv2.k_proj.weight", "conv2.v_proj.weight",
                "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "conv3.weight", "bn3.weight", "bn3.bias",
                "bn3.running_mean", "bn3.running_var", "downsample.0.weight", "downsample.1.weight", "downsample.1.bias",
                "downsample.1.running_mean", "downsample.1.running_var"), block);
        Variable logits = net.forward(new Variable(Tensor.randn(new Rng(2), 2, 1, 12, 12)));
        assertEquals(List.of(2, 10), List.of(logits.dims()[0], logits.dims()[1]));
        logits.sum().backward();
        assertTrue(net.namedParameters().get("layer2.0.conv2.rel_row").grad() != null, "gradients reach the attention");
    }

    @Test
    void attentionStemReplacesTheConvolutionAndPoolsByItsBlock() {
        ResNetSpec spec = new ResNetSpec(3, 10, new ResNetSpec.SelfAttentionStem(8, 4, 2, 2, true, false), new int[] {1, 1},
                new int[] {4, 8}, new int[] {1, 2}, 4, false).withSpatial(Spatial.selfAttention(3, 2, Border.MASK));
        ResNet net = new ResNet(spec, new Rng(3));
        List<String> names = List.copyOf(net.stateDict().keySet());
        assertEquals(List.of("stem.rel_row", "stem.rel_col", "stem.emb_row", "stem.emb_col", "stem.emb_mix",
                "stem.q_proj.weight", "stem.k_proj.weight", "stem.v_proj.weight", "bn1.weight", "bn1.bias",
                "bn1.running_mean", "bn1.running_var"), names.subList(0, 12));
        assertEquals("layer1.0.conv1.weight", names.get(12));
        List<Ledger.LayerCall> calls;
        try (Ledger ledger = Ledger.open()) {
            net.forward(new Variable(Tensor.randn(new Rng(4), 2, 3, 16, 16)));
            calls = ledger.layerCalls();
        }
        assertEquals(List.of("AttentionStem", "BatchNorm2d", "MaxPool2d"), calls.subList(0, 3).stream()
                .map(c -> c.layer().getClass().getSimpleName()).toList());
        assertEquals(Shape.of(2, 8, 16, 16), calls.get(0).output(), "attention at the input resolution");
        assertEquals(Shape.of(2, 8, 4, 4), calls.get(2).output(), "then the 4x4 stride-4 max pool");
        Variable logits = net.forward(new Variable(Tensor.randn(new Rng(4), 2, 3, 16, 16)));
        assertEquals(List.of(2, 10), List.of(logits.dims()[0], logits.dims()[1]));
        logits.sum().backward();
        assertTrue(net.namedParameters().get("stem.emb_mix").grad() != null, "gradients reach the stem's mixture");
    }

    @Test
    void aSpecNeedsAStem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResNetSpec(3, 10, null,
                new int[] {1}, new int[] {4}, new int[] {1}, 4, false));
        assertEquals("ResNetSpec: the stem must be given (Stem.imagenet(), Stem.small() or SelfAttentionStem.imagenet())",
                e.getMessage());
    }
}
