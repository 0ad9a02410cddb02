package vista.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.models.app.train.DataFacts;
import vista.models.app.train.Evaluation;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Whether a checkpoint's test accuracy is held back by its BatchNorm running statistics: the statistics an
 * exponential average collected while the weights were still moving, against statistics of the final weights.
 * Prints the test accuracy three ways:
 * <ol>
 *   <li>as {@code vista eval} measures it: evaluation mode, the checkpoint's running statistics;</li>
 *   <li>with every norm's running statistics re-estimated at the checkpoint's fixed weights: BATCHES training
 *       batches of 128 (in order, no augmentation) run forward in training mode without gradients, each moving
 *       the running averages by the norms' momentum (0.1), so that after 200 batches a start value weighs
 *       0.9^200 = 7e-10 and the estimate is the recent batches' average at these weights;</li>
 *   <li>with each test batch normalised by its own statistics (training-mode forward on the test batch).</li>
 * </ol>
 * and, per norm, how far the stored running variance is from the re-estimated one (the largest ratio over
 * channels, either way). A large gap between 1 and 2 says the dip is in the estimate, not in the weights.
 * <pre>
 *   ./vista bench-main vista.bench.BatchNormEstimates RUN/checkpoint.vckp 200
 * </pre>
 */
public final class BatchNormEstimates {
    private static final int BATCH = 128;

    private BatchNormEstimates() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: BatchNormEstimates CHECKPOINT [TRAINING_BATCHES]");
        }
        Checkpoint saved = Checkpoint.read(Path.of(args[0]));
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        TrainConfig config = TrainConfig.fromMap(saved.config());
        DataFacts facts = DataFacts.fromMap(saved.config());
        Module model = config.createModel(facts);
        model.loadStateDict(saved.model());
        TrainingData data = TrainingData.load(config.data(), batches * BATCH, 0);
        System.out.printf(Locale.ROOT, "%s after epoch %d, %d test images%n", config.model(), saved.epoch(),
                data.test().size());
        System.out.printf(Locale.ROOT, "  running statistics of the run:     %.2f%%%n",
                100 * accuracy(model, data.test(), facts));
        Map<String, Tensor> stored = copyOfBuffers(model);
        reestimate(model, data.train(), facts);
        System.out.printf(Locale.ROOT, "  re-estimated at these weights:     %.2f%% (%d training batches)%n",
                100 * accuracy(model, data.test(), facts), batches);
        System.out.printf(Locale.ROOT, "  each test batch's own statistics:  %.2f%%%n",
                100 * batchStatisticsAccuracy(model, data.test(), facts));
        System.out.println("  largest ratio of stored to re-estimated running variance, per norm:");
        model.namedBuffers().forEach((name, now) -> {
            if (name.endsWith("running_var")) {
                System.out.printf(Locale.ROOT, "    %-40s %8.2f%n", name, largestRatio(stored.get(name), now));
            }
        });
    }

    private static DataLoader loader(Dataset dataset, DataFacts facts) {
        return DataLoader.builder().setDataset(dataset).setBatchSize(BATCH).setRng(new Rng(0)).optShuffle(false)
                .optTransforms(facts.normalize()).build();
    }

    private static double accuracy(Module model, Dataset test, DataFacts facts) {
        try (DataLoader loader = loader(test, facts)) {
            return Evaluation.run(model, loader, facts.numClasses(), done -> { }).top1();
        }
    }

    @SuppressWarnings("try")
    private static void reestimate(Module model, Dataset train, DataFacts facts) {
        model.train(true);
        try (DataLoader loader = loader(train, facts); var noGrad = Autograd.noGrad()) {
            for (Batch batch : loader.epoch(0)) {
                model.forward(new Variable(batch.images()));
            }
        }
        model.eval();
    }

    @SuppressWarnings("try")
    private static double batchStatisticsAccuracy(Module model, Dataset test, DataFacts facts) {
        Map<String, Tensor> kept = copyOfBuffers(model);
        long correct = 0;
        model.train(true);
        try (DataLoader loader = loader(test, facts); var noGrad = Autograd.noGrad()) {
            for (Batch batch : loader.epoch(0)) {
                float[] z = model.forward(new Variable(batch.images())).data().toFloatArray();
                int[] labels = batch.labels();
                for (int i = 0; i < labels.length; i++) {
                    int best = 0;
                    for (int c = 1; c < facts.numClasses(); c++) {
                        if (z[i * facts.numClasses() + c] > z[i * facts.numClasses() + best]) {
                            best = c;
                        }
                    }
                    correct += best == labels[i] ? 1 : 0;
                }
            }
        }
        model.eval();
        model.namedBuffers().forEach((name, buffer) -> buffer.copyFrom(kept.get(name)));
        return (double) correct / test.size();
    }

    private static Map<String, Tensor> copyOfBuffers(Module model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.namedBuffers().forEach((name, buffer) -> copy.put(name, buffer.copy()));
        return copy;
    }

    private static double largestRatio(Tensor before, Tensor after) {
        double largest = 1;
        for (int c = 0; c < before.numel(); c++) {
            double ratio = before.get(c) / after.get(c);
            largest = Math.max(largest, Math.max(ratio, 1 / ratio));
        }
        return largest;
    }
}
