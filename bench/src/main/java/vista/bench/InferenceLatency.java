package vista.bench;

import java.util.Arrays;
import java.util.Locale;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.inference.Folding;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * Inference latency of a zoo model, the training graph in evaluation mode against its inference form
 * ({@link Folding}: BatchNorm folded into the convolutions, ReLUs and residual adds in their epilogues),
 * both under no-grad on the same random images. After the warm-up (a fifth of the repetitions, at least 3,
 * of each), the two forward passes alternate, so that both see the same machine; it prints the median
 * milliseconds of each, their ratio, and the largest logit difference relative to the largest logit. The
 * arguments are the model, the image side, the batch, the threads and the repetitions:
 * <pre>
 *   ./vista bench-main vista.bench.InferenceLatency resnet26 224 1 1 50
 * </pre>
 */
public final class InferenceLatency {
    private InferenceLatency() {
    }

    @SuppressWarnings("try") // the noGrad scope is used for its effect, not referenced
    public static void main(String[] args) {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: InferenceLatency MODEL IMAGE_SIDE BATCH THREADS REPETITIONS, e.g."
                    + " resnet26 224 1 1 50");
        }
        String name = args[0];
        int side = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        Parallel.setThreads(Integer.parseInt(args[3]));
        int reps = Integer.parseInt(args[4]);
        if (batch < 1 || reps < 1) {
            throw new IllegalArgumentException("InferenceLatency: the batch and the repetitions must be at least 1, got "
                    + batch + " and " + reps);
        }
        String sizeProblem = ModelZoo.inputSizeProblem(name, side, side);
        if (sizeProblem != null) {
            throw new IllegalArgumentException("InferenceLatency: images of " + side + " x " + side + " do not fit: "
                    + sizeProblem);
        }
        Shape image = ModelZoo.defaultImage(name);
        Rng rng = new Rng(7);
        Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), ModelZoo.defaultClasses(name),
                rng.split("init")));
        Module folded = Folding.fold(model);
        Variable images = new Variable(Tensor.randn(rng.split("data"), batch, image.dim(0), side, side));
        double[] evalMillis = new double[reps];
        double[] foldedMillis = new double[reps];
        try (var scope = Autograd.noGrad()) {
            for (int i = 0; i < Math.max(3, reps / 5); i++) {
                model.forward(images);
                folded.forward(images);
            }
            for (int i = 0; i < reps; i++) {
                evalMillis[i] = millis(model, images);
                foldedMillis[i] = millis(folded, images);
            }
            double difference = largestDifference(model.forward(images).data(), folded.forward(images).data());
            double eval = median(evalMillis);
            double fast = median(foldedMillis);
            System.out.printf(Locale.ROOT, "%s, %d x %d, batch %d, %d thread(s), %d repetitions: eval mode %.2f ms,"
                    + " folded %.2f ms (median), eval / folded %.2f; largest logit difference %.1e of the largest"
                    + " logit%n", name, side, side, batch, Parallel.threads(), reps, eval, fast, eval / fast,
                    difference);
        }
    }

    private static double millis(Module model, Variable images) {
        long start = System.nanoTime();
        model.forward(images);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double largestDifference(Tensor expected, Tensor actual) {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            largest = Math.max(largest, Math.abs(e[i]));
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        return largest == 0 ? worst : worst / largest;
    }
}
