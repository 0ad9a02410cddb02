package vista.nn.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vista.nn.inference.InferenceTesting.assertCloseRelativeToLargest;
import static vista.nn.inference.InferenceTesting.randomiseNorm;
import static vista.nn.inference.InferenceTesting.run;

import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Folding an evaluation-mode BatchNorm into the convolution before it, and the inference convolution. */
class BatchNormFoldingTest {
    @Test
    void foldsKnownValues() {
        // s = γ / sqrt(σ² + eps) = 3 / sqrt(3 + 1) = 1.5; w' = 2 s = 3; b' = β + (b - μ) s = 0.5 + (1 - 2) 1.5 = -1.
        BatchNorm2d norm = new BatchNorm2d(1, 1.0, 0.1);
        norm.weight().data().copyFrom(Tensor.fromArray(new float[] {3}, 1));
        norm.bias().data().copyFrom(Tensor.fromArray(new float[] {0.5f}, 1));
        norm.runningMean().copyFrom(Tensor.fromArray(new float[] {2}, 1));
        norm.runningVar().copyFrom(Tensor.fromArray(new float[] {3}, 1));
        BatchNormFolding.Folded f = BatchNormFolding.fold(Tensor.fromArray(new float[] {2}, 1, 1, 1, 1),
                Tensor.fromArray(new float[] {1}, 1), norm);
        assertArrayEquals(new float[] {3}, f.weight().toFloatArray());
        assertArrayEquals(new float[] {-1}, f.bias().toFloatArray());
    }

    @Test
    void convolutionNormAndReluGiveTheFoldedConvolutionsOutput() {
        Rng rng = new Rng(1);
        for (boolean bias : new boolean[] {false, true}) {
            Conv2d conv = Conv2d.builder().setChannels(6, 10).setKernel(3).optStride(2).optPadding(1).optBias(bias)
                    .build(rng);
            BatchNorm2d norm = new BatchNorm2d(10);
            randomiseNorm(norm, rng);
            Sequential eval = new Sequential(conv, norm, new ReLU());
            eval.eval();
            Tensor x = Tensor.randn(rng, 2, 6, 9, 11);
            assertCloseRelativeToLargest(run(eval, x), run(InferenceConv2d.folding(conv, norm, true), x), 1e-5,
                    "conv, norm, relu with bias " + bias);
            Sequential noRelu = new Sequential(conv, norm);
            assertCloseRelativeToLargest(run(noRelu, x), run(InferenceConv2d.folding(conv, norm, false), x), 1e-5,
                    "conv, norm with bias " + bias);
        }
    }

    @Test
    void theResidualIsAddedBeforeTheRelu() {
        Rng rng = new Rng(2);
        Conv2d conv = Conv2d.builder().setChannels(8, 8).setKernel(1).optBias(false).build(rng);
        BatchNorm2d norm = new BatchNorm2d(8);
        randomiseNorm(norm, rng);
        Sequential eval = new Sequential(conv, norm);
        eval.eval();
        Tensor x = Tensor.randn(rng, 2, 8, 5, 7);
        Tensor r = Tensor.randn(rng, 2, 8, 5, 7);
        Tensor expected = run(eval, x).add(r).relu();
        Tensor folded;
        try (var scope = vista.autograd.Autograd.noGrad()) {
            folded = InferenceConv2d.folding(conv, norm, true).forward(new Variable(x), new Variable(r)).data();
        }
        assertCloseRelativeToLargest(expected, folded, 1e-5, "relu(bn(conv(x)) + r)");
    }

    @Test
    void foldingCopiesTheWeightsAndLeavesTheLayersAsTheyWere() {
        Rng rng = new Rng(3);
        Conv2d conv = Conv2d.builder().setChannels(3, 4).setKernel(3).optPadding(1).build(rng);
        BatchNorm2d norm = new BatchNorm2d(4);
        randomiseNorm(norm, rng);
        float[] weight = conv.weight().data().toFloatArray();
        InferenceConv2d folded = InferenceConv2d.folding(conv, norm, false);
        Tensor x = Tensor.randn(rng, 1, 3, 5, 5);
        Tensor before = run(folded, x);
        assertArrayEquals(weight, conv.weight().data().toFloatArray(), "the convolution's weight is unchanged");
        conv.weight().data().copyFrom(Tensor.zeros(4, 3, 3, 3));
        assertArrayEquals(before.toFloatArray(), run(folded, x).toFloatArray(), "the folded layer holds its own copy");
    }

    @Test
    void refusesToRunWhileGradientsAreRecorded() {
        Rng rng = new Rng(4);
        Conv2d conv = Conv2d.builder().setChannels(2, 2).setKernel(1).build(rng);
        InferenceConv2d folded = InferenceConv2d.of(conv, true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> folded.forward(new Variable(Tensor.zeros(1, 2, 3, 3))));
        assertEquals("Inference[Conv2d(2->2, k=1), relu] is part of a folded network, which computes no gradients:"
                + " run it inside Autograd.noGrad(), or train the network it was folded from", e.getMessage());
    }

    @Test
    void rejectsANormOfOtherChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormFolding.fold(Tensor.zeros(4, 3, 1, 1), null, new BatchNorm2d(5)));
        assertEquals("Folding BatchNorm2d(5) into a weight [4, 3, 1, 1]: the weight's first axis and the bias must"
                + " have the norm's 5 channels; fold a norm into the layer that produces its input", e.getMessage());
    }
}
