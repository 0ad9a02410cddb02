package vista.models.app.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.Spirals;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * {@code vista demo}: trains a multilayer perceptron with Vista's tensors and autograd on
 * {@link Spirals} and prints the falling loss and the accuracy on held-out points.
 *
 * <p>Model: logits = W3 relu(W2 relu(W1 x + b1) + b2) + b3, loss = mean cross-entropy
 * -log softmax(logits)[label]. Training: full-batch SGD with momentum, v = m v + dL/dp, p = p - lr v.
 * Everything runs through the public API a user would call; nothing here is special to the demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small MLP with Vista's autograd on a synthetic 3-arm spiral and report accuracy.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--steps", defaultValue = "400", description = "Full-batch training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hidden", defaultValue = "64", description = "Width of the two hidden layers (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.2", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Mixin
    SeedOption seed;

    @Mixin
    ThreadsOption threads;

    private static final int CLASSES = 3;
    private static final double MOMENTUM = 0.9;

    /** What a run ends with: the loss of the first and last step, held-out accuracy, and the weights. */
    record Result(double firstLoss, double lastLoss, double testAccuracy, List<Tensor> weights) {
    }

    @Override
    public Integer call() {
        if (steps < 1 || hidden < 1 || !(lr > 0)) {
            System.err.println("vista demo: --steps and --hidden must be >= 1 and --lr > 0");
            return 2;
        }
        if (threads.problem() != null) {
            System.err.println("vista demo: " + threads.problem());
            return 2;
        }
        threads.apply();
        train(System.out);
        return 0;
    }

    /** Trains as configured, printing progress to {@code out}. */
    Result train(PrintStream out) {
        Rng rng = new Rng(seed.value);
        Spirals train = Spirals.generate(rng.split("train data"), 200, CLASSES);
        Spirals test = Spirals.generate(rng.split("test data"), 100, CLASSES);
        Rng init = rng.split("init");
        List<Variable> layers = List.of(
                weight(init, 2, hidden), bias(init, 2, hidden),
                weight(init, hidden, hidden), bias(init, hidden, hidden),
                weight(init, hidden, CLASSES), bias(init, hidden, CLASSES));
        List<Tensor> velocity = new ArrayList<>();
        for (Variable p : layers) {
            velocity.add(Tensor.zeros(p.dims()));
        }

        out.printf("Training a 2-%d-%d-%d MLP on %d spiral points (%d held out), %d threads%n",
                hidden, hidden, CLASSES, train.size(), test.size(), Parallel.threads());
        long start = System.nanoTime();
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            Variable logits = forward(layers, new Variable(train.features()));
            Variable loss = crossEntropy(logits, train.oneHot());
            for (Variable p : layers) {
                p.zeroGrad();
            }
            loss.backward();
            lastLoss = loss.item();
            if (step == 1) {
                firstLoss = lastLoss;
            }
            for (int i = 0; i < layers.size(); i++) {
                Variable p = layers.get(i);
                Tensor v = velocity.get(i).mul(MOMENTUM).add(p.grad());
                velocity.set(i, v);
                p.data().copyFrom(p.data().sub(v.mul(lr)));
            }
            if (step == 1 || step % 50 == 0 || step == steps) {
                out.printf("step %4d  loss %.4f  train accuracy %5.1f%%%n", step, lastLoss,
                        100 * accuracy(logits.data(), train.labels()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy;
        try (var scope = Autograd.noGrad()) {
            testAccuracy = accuracy(forward(layers, new Variable(test.features())).data(), test.labels());
        }
        out.printf("held-out accuracy %.1f%% after %d steps (%.1f s)%n", 100 * testAccuracy, steps, seconds);
        return new Result(firstLoss, lastLoss, testAccuracy, layers.stream().map(Variable::data).toList());
    }

    /** Weights uniform on [-1/sqrt(fanIn), 1/sqrt(fanIn)), as PyTorch's Linear. */
    private static Variable weight(Rng rng, int fanIn, int fanOut) {
        double bound = 1 / Math.sqrt(fanIn);
        return new Variable(Tensor.uniform(rng, -bound, bound, fanIn, fanOut), true);
    }

    private static Variable bias(Rng rng, int fanIn, int fanOut) {
        double bound = 1 / Math.sqrt(fanIn);
        return new Variable(Tensor.uniform(rng, -bound, bound, fanOut), true);
    }

    private static Variable forward(List<Variable> p, Variable x) {
        Variable h1 = x.matmul(p.get(0)).add(p.get(1)).relu();
        Variable h2 = h1.matmul(p.get(2)).add(p.get(3)).relu();
        return h2.matmul(p.get(4)).add(p.get(5));
    }

    /** Mean over the batch of -sum_c onehot[c] log softmax(logits)[c]. */
    private static Variable crossEntropy(Variable logits, Tensor oneHot) {
        int n = logits.dims()[0];
        return logits.logSoftmax(1).mul(new Variable(oneHot)).sum().mul(-1.0 / n);
    }

    private static double accuracy(Tensor logits, int[] labels) {
        Tensor predicted = logits.argmax(1, false);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((int) predicted.get(i) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }
}
