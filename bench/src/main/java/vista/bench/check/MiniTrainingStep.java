package vista.bench.check;

import java.util.Map;
import vista.autograd.Variable;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.BufferPool;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * One SGD step of a slim 28 x 28 zoo model ({@code resnet26-mini}, {@code sasa-resnet26-mini},
 * {@code san10-pairwise-mini}, {@code san10-patchwise-mini}) on a fixed batch of {@value #BATCH} random
 * Fashion-MNIST-sized images (1 x 28 x 28, 10 classes): zero the gradients, forward, cross-entropy,
 * backward, and the update of SGD with learning rate 0.05, momentum 0.9 and weight decay 1e-4, inside a
 * {@link BufferPool} scope as {@code vista train} runs its steps (the step's tensors reused from the last). The model,
 * the images and the labels come from the named streams of {@code new Rng(7)} ("init", "data", "labels").
 * This is the step that {@code TrainingBenchmark.miniResNetStep} (JMH), {@link StepTimer} and
 * {@code bench/compare/pytorch_training.py}'s {@code *_mini_step} cases time.
 */
public final class MiniTrainingStep {
    /** The batch size of the peer's {@code bench_train.py}. */
    public static final int BATCH = 64;
    private static final int CLASSES = 10;

    private final Module network;
    private final Sgd sgd;
    private final Tensor images;
    private final int[] labels = new int[BATCH];
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final BufferPool buffers = new BufferPool();

    /** Builds {@code model} (a zoo name), its optimiser and the batch. */
    public MiniTrainingStep(String model) {
        Rng rng = new Rng(7);
        network = ModelZoo.create(model, new ModelZoo.Request(1, CLASSES, rng.split("init")));
        Map<String, Variable> named = network.namedParameters();
        sgd = Sgd.builder(named).setLearningRate(0.05).optMomentum(0.9).optWeightDecay(1e-4).build();
        images = Tensor.randn(rng.split("data"), BATCH, 1, 28, 28);
        Rng labelRng = rng.split("labels");
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelRng.nextInt(CLASSES);
        }
    }

    /** Runs one step and returns its loss (before the update). */
    public double run() {
        try (BufferPool.Scope reuse = buffers.use()) {
            sgd.zeroGrad();
            Variable value = loss.forward(network.forward(new Variable(images)), labels);
            double before = value.item();
            value.backward();
            sgd.step();
            return before;
        }
    }
}
