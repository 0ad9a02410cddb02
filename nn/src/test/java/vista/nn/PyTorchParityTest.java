package vista.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.nn.loss.CrossEntropyLoss;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Linear, BatchNorm2d (train and eval) and cross-entropy against the PyTorch float64 fixtures, each run
 * as the fixtures' FORMAT.md says: load parameters and buffers by name, forward,
 * {@code L = sum(output * loss_weight)} (or the loss itself), backward, compare with the case's
 * tolerances.
 */
class PyTorchParityTest {

    @Test
    void linearMatchesPyTorch() {
        Fixtures f = Fixtures.of("linear_bias");
        Linear linear = new Linear(12, 5, new Rng(0));
        linear.loadStateDict(Map.of("weight", f.floats("weight", 5, 12), "bias", f.floats("bias", 5)));
        Variable input = new Variable(f.floats("input", 4, 12), true);
        Variable output = linear.forward(input);
        output.mul(new Variable(f.floats("loss_weight", 4, 5))).sum().backward();
        f.assertMatches("output", output.data());
        f.assertMatches("grad.input", input.grad());
        f.assertMatches("grad.weight", linear.weight().grad());
        f.assertMatches("grad.bias", linear.bias().grad());
    }

    @Test
    void batchNormTrainingMatchesPyTorch() {
        Fixtures f = Fixtures.of("batchnorm2d_train");
        BatchNorm2d bn = loadBatchNorm(f);
        Variable input = new Variable(f.floats("input", 4, 6, 5, 7), true);
        Variable output = bn.forward(input);
        output.mul(new Variable(f.floats("loss_weight", 4, 6, 5, 7))).sum().backward();
        f.assertMatches("output", output.data());
        f.assertMatches("grad.input", input.grad());
        f.assertMatches("grad.weight", bn.weight().grad());
        f.assertMatches("grad.bias", bn.bias().grad());
        f.assertMatches("running_mean.after", bn.runningMean());
        f.assertMatches("running_var.after", bn.runningVar());
    }

    @Test
    void batchNormEvaluationMatchesPyTorch() {
        Fixtures f = Fixtures.of("batchnorm2d_eval");
        BatchNorm2d bn = loadBatchNorm(f);
        bn.eval();
        Variable input = new Variable(f.floats("input", 4, 6, 5, 7), true);
        Variable output = bn.forward(input);
        output.mul(new Variable(f.floats("loss_weight", 4, 6, 5, 7))).sum().backward();
        f.assertMatches("output", output.data());
        f.assertMatches("grad.input", input.grad());
        f.assertMatches("grad.weight", bn.weight().grad());
        f.assertMatches("grad.bias", bn.bias().grad());
    }

    private static BatchNorm2d loadBatchNorm(Fixtures f) {
        BatchNorm2d bn = new BatchNorm2d(6);
        bn.loadStateDict(Map.of("weight", f.floats("weight", 6), "bias", f.floats("bias", 6),
                "running_mean", f.floats("running_mean", 6), "running_var", f.floats("running_var", 6)));
        return bn;
    }

    @Test
    void plainCrossEntropyMatchesPyTorch() {
        crossEntropy("cross_entropy_plain", new CrossEntropyLoss());
    }

    @Test
    void torchLabelSmoothingMatchesPyTorch() {
        crossEntropy("cross_entropy_ls0.1_torch", new CrossEntropyLoss(0.1, CrossEntropyLoss.Smoothing.TORCH));
    }

    @Test
    void sanLabelSmoothingMatchesTheSanCode() {
        crossEntropy("cross_entropy_ls0.1_san", new CrossEntropyLoss(0.1, CrossEntropyLoss.Smoothing.SAN));
    }

    private static void crossEntropy(String name, CrossEntropyLoss loss) {
        Fixtures f = Fixtures.of(name);
        Variable logits = new Variable(f.floats("input", 8, 10), true);
        Variable output = loss.forward(logits, f.ints("target"));
        output.backward();
        f.assertMatches("output", output.data());
        f.assertMatches("grad.input", logits.grad());
    }

    @Test
    void theOtherSmoothingConventionFails() {
        Fixtures f = Fixtures.of("cross_entropy_ls0.1_san");
        Variable logits = new Variable(f.floats("input", 8, 10));
        Tensor torch = new CrossEntropyLoss(0.1, CrossEntropyLoss.Smoothing.TORCH)
                .forward(logits, f.ints("target")).data();
        assertThrows(AssertionError.class, () -> f.assertMatches("output", torch));
    }
}
