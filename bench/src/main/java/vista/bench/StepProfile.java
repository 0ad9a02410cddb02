package vista.bench;

import java.util.Locale;
import java.util.Map;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * Where the time of a training step goes, per kind of operation ({@link Ledger#operations()}): it runs
 * SGD steps of a zoo model on random images of the model's default size (forward, cross-entropy,
 * backward; the parameter update is outside the profile), records the last of them in a {@link Ledger},
 * and prints one row per kind: calls, forward and backward milliseconds per step, share of the step,
 * and, for the kinds that count their multiply-adds (convolutions, the SAN aggregation), the rate in
 * GFLOP/s with backward counted as twice the forward work. The arguments are the model, the batch, the
 * threads, and the steps to warm up:
 * <pre>
 *   ./vista bench-main vista.bench.StepProfile san10-pairwise-mini 64 1 20
 * </pre>
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: StepProfile MODEL BATCH THREADS WARMUP_STEPS, e.g. "
                    + "san10-pairwise-mini 64 1 20");
        }
        String name = args[0];
        int batch = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        int warmup = Integer.parseInt(args[3]);
        Shape image = ModelZoo.defaultImage(name);
        int classes = ModelZoo.defaultClasses(name);
        Rng rng = new Rng(7);
        Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), classes, rng.split("init")));
        Map<String, Variable> parameters = model.namedParameters();
        Sgd sgd = Sgd.builder(parameters).setLearningRate(0.05).optMomentum(0.9).optWeightDecay(1e-4).build();
        Tensor images = Tensor.randn(rng.split("data"), batch, image.dim(0), image.dim(1), image.dim(2));
        int[] labels = new int[batch];
        Rng labelRng = rng.split("labels");
        for (int i = 0; i < batch; i++) {
            labels[i] = labelRng.nextInt(classes);
        }
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Runnable step = () -> {
            sgd.zeroGrad();
            loss.forward(model.forward(new Variable(images)), labels).backward();
        };
        for (int i = 0; i < warmup; i++) {
            step.run();
            sgd.step();
        }
        long start = System.nanoTime();
        Ledger ledger = Ledger.open();
        try (ledger) {
            step.run();
        }
        long wall = System.nanoTime() - start;
        print(name, batch, ledger, wall);
    }

    private static void print(String name, int batch, Ledger ledger, long wallNanos) {
        long operationNanos = ledger.operationNanos();
        System.out.printf(Locale.ROOT, "%s, batch %d, %d thread(s): step %.1f ms (forward + backward), operations "
                + "%.1f ms%n", name, batch, Parallel.threads(), wallNanos / 1e6, operationNanos / 1e6);
        System.out.printf(Locale.ROOT, "%-22s %6s %10s %10s %7s %9s%n", "operation", "calls", "fwd ms", "bwd ms",
                "share", "GFLOP/s");
        for (Ledger.Operation op : ledger.operations()) {
            String rate = op.forwardMacs() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.1f", 2.0 * 3 * op.forwardMacs() / op.nanos());
            System.out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.1f %6.1f%% %9s%n", op.kind(), op.forwardCalls(),
                    op.forwardNanos() / 1e6, op.backwardNanos() / 1e6, 100.0 * op.nanos() / operationNanos, rate);
        }
    }
}
