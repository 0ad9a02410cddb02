package vista.nn.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static vista.nn.inference.InferenceTesting.assertCloseRelativeToLargest;
import static vista.nn.inference.InferenceTesting.randomiseNorm;
import static vista.nn.inference.InferenceTesting.run;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Folding containers: which runs become one layer, what is kept, and residual blocks. */
class FoldingTest {
    private static Conv2d conv(int in, int out, int kernel, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(kernel).optPadding(kernel / 2).optBias(false).build(rng);
    }

    private static BatchNorm2d norm(int channels, Rng rng) {
        BatchNorm2d norm = new BatchNorm2d(channels);
        randomiseNorm(norm, rng);
        return norm;
    }

    @Test
    void sequenceFoldsEachConvolutionWithItsNormAndRelu() {
        Rng rng = new Rng(11);
        Sequential net = new Sequential(conv(3, 8, 3, rng), norm(8, rng), new ReLU(), conv(8, 8, 1, rng), new ReLU(),
                new MaxPool2d(3, 2, 1), conv(8, 4, 3, rng), norm(4, rng));
        Tensor x = Tensor.randn(rng, 2, 3, 9, 9);
        Module folded = Folding.fold(net);
        assertFalse(net.isTraining(), "folding puts the original in evaluation mode");
        List<Module> layers = List.copyOf(folded.children().values());
        assertEquals(4, layers.size(), layers.toString());
        assertEquals(List.of(true, true, false, false), layers.stream()
                .map(m -> m instanceof InferenceConv2d c && c.relu()).toList());
        assertInstanceOf(MaxPool2d.class, layers.get(2));
        assertInstanceOf(InferenceConv2d.class, layers.get(3));
        assertCloseRelativeToLargest(run(net, x), run(folded, x), 1e-5, "folded sequence");
    }

    @Test
    void residualBlockAddsTheShortcutInTheEpilogue() {
        Rng rng = new Rng(12);
        Conv2d first = conv(4, 4, 3, rng);
        BatchNorm2d firstNorm = norm(4, rng);
        Conv2d last = conv(4, 4, 1, rng);
        BatchNorm2d lastNorm = norm(4, rng);
        Sequential body = new Sequential(first, firstNorm, new ReLU(), last, lastNorm);
        body.eval();
        Tensor x = Tensor.randn(rng, 2, 4, 6, 5);
        FoldedResidualBlock block = new FoldedResidualBlock(InferenceConv2d.folding(first, firstNorm, true),
                InferenceConv2d.folding(last, lastNorm, true), null);
        assertCloseRelativeToLargest(run(body, x).add(x).relu(), run(block, x), 1e-5, "identity shortcut");
        Conv2d projection = conv(4, 4, 1, rng);
        BatchNorm2d projectionNorm = norm(4, rng);
        Sequential shortcut = new Sequential(projection, projectionNorm);
        FoldedResidualBlock projected = new FoldedResidualBlock(InferenceConv2d.folding(first, firstNorm, true),
                InferenceConv2d.folding(last, lastNorm, true), Folding.fold(shortcut));
        assertCloseRelativeToLargest(run(body, x).add(run(shortcut, x)).relu(), run(projected, x), 1e-5,
                "projected shortcut");
    }

    @Test
    void residualBlockWithoutReluAddsTheShortcutOnly() {
        Rng rng = new Rng(13);
        Conv2d c = conv(3, 3, 1, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 4, 5);
        FoldedResidualBlock block = new FoldedResidualBlock(new InferenceNormRelu(norm(3, rng)),
                InferenceConv2d.of(c, false), null);
        Module body = new Sequential(block.children().get("body"), c);
        body.eval();
        assertCloseRelativeToLargest(run(body, x).add(x), run(block, x), 1e-6, "x + conv(relu(bn(x)))");
    }

    @Test
    void normAndReluWithoutAConvolutionRunAsOnePass() {
        Rng rng = new Rng(15);
        BatchNorm2d norm = norm(5, rng);
        Sequential net = new Sequential(new MaxPool2d(2, 2, 0), norm, new ReLU());
        Module folded = Folding.fold(net);
        assertInstanceOf(InferenceNormRelu.class, folded.children().get("1"));
        Tensor x = Tensor.randn(rng, 2, 5, 6, 8);
        assertCloseRelativeToLargest(run(net, x), run(folded, x), 1e-6, "relu(bn(x)) in one pass");
    }

    @Test
    void modulesWithoutAnInferenceFormAreKept() {
        Module pool = new MaxPool2d(2, 2, 0);
        assertEquals(pool, Folding.fold(pool));
        Tensor x = Tensor.randn(new Rng(14), 1, 1, 4, 4);
        assertArrayEquals(run(pool, x).toFloatArray(), run(Folding.fold(pool), x).toFloatArray());
    }
}
