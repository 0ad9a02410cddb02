package vista.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import vista.autograd.Variable;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.BufferPool;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * How many bytes one training step allocates, summed over every thread (the calling thread and the
 * kernels' pool alike): it runs SGD steps of a zoo model on random images of the model's default size, as
 * {@link StepProfile} does (zero the gradients, forward, cross-entropy, backward, update), warms up for
 * as many steps as it then measures, and prints the mean of
 * {@code com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes()} over the measured steps. Bytes
 * allocated do not depend on the machine's load, so the figure is stable where a time would not be.
 * Each step runs inside one {@link BufferPool} (as a trainer would), whose totals are printed too; a
 * fifth argument {@code fresh} runs without it, every tensor a new array. The arguments are the model,
 * the batch, the threads, the steps and optionally {@code fresh}:
 * <pre>
 *   ./vista bench-main vista.bench.StepAllocation resnet26-mini 64 1 10
 *   ./vista bench-main vista.bench.StepAllocation resnet26-mini 64 1 5 fresh
 * </pre>
 */
public final class StepAllocation {
    private StepAllocation() {
    }

    public static void main(String[] args) {
        if (args.length != 4 && !(args.length == 5 && args[4].equals("fresh"))) {
            throw new IllegalArgumentException("usage: StepAllocation MODEL BATCH THREADS STEPS [fresh], e.g. "
                    + "resnet26-mini 64 1 10");
        }
        boolean fresh = args.length == 5;
        String name = args[0];
        int batch = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        int steps = Integer.parseInt(args[3]);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Shape image = ModelZoo.defaultImage(name);
        int classes = ModelZoo.defaultClasses(name);
        Rng rng = new Rng(7);
        Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), classes, rng.split("init")));
        Sgd sgd = Sgd.builder(model.namedParameters()).setLearningRate(0.05).optMomentum(0.9)
                .optWeightDecay(1e-4).build();
        Tensor images = Tensor.randn(rng.split("data"), batch, image.dim(0), image.dim(1), image.dim(2));
        int[] labels = new int[batch];
        Rng labelRng = rng.split("labels");
        for (int i = 0; i < batch; i++) {
            labels[i] = labelRng.nextInt(classes);
        }
        CrossEntropyLoss loss = new CrossEntropyLoss();
        BufferPool pool = fresh ? null : new BufferPool();
        Runnable step = () -> {
            try (BufferPool.Scope scope = pool == null ? null : pool.use()) {
                sgd.zeroGrad();
                loss.forward(model.forward(new Variable(images)), labels).backward();
                sgd.step();
            }
        };
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        long before = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        long perStep = (threads.getTotalThreadAllocatedBytes() - before) / steps;
        System.out.printf(Locale.ROOT, "%s, batch %d, %d thread(s), %s: %.1f MB allocated per training step "
                + "(mean of %d steps after %d warm-up steps, all threads)%n", name, batch, Parallel.threads(),
                fresh ? "fresh arrays" : "buffer pool", perStep / 1e6, steps, steps);
        if (pool != null) {
            System.out.printf(Locale.ROOT, "pool: %.1f MB lent as new arrays in all, %.1f MB reused, %.1f MB free "
                    + "now%n", pool.allocatedBytes() / 1e6, pool.reusedBytes() / 1e6, pool.freeBytes() / 1e6);
        }
    }
}
