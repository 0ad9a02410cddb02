package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.models.app.cluster.LocalCollective;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.StateDigest;
import vista.nn.loss.CrossEntropyLoss;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * {@code --shards S} in one process ({@link ShardedStep}), on resnet26-mini and 32 striped 16x16 images
 * (2 steps of 16 per epoch).
 */
class ShardedTrainingTest {
    @TempDir
    Path tmp;

    private TrainConfig config(int shards) throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 32, 8, 16);
        return new TrainConfig("resnet26-mini", data.toString(), 1, 16, 0.1, 0.9, false, 5e-4, false, 0, "torch",
                "cosine", 0, 30, 0.1, true, 4, 1, 0, 0, "", false, "lineage", shards);
    }

    /** The SHA-256 of the weights and buffers after training {@code config} on {@code threads} threads. */
    private String trainedWeights(TrainConfig config, int threads, String name) throws IOException {
        Path run = tmp.resolve(name);
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Trainer.start(config, new Trainer.Settings(run, 0), new TrainingObserver() { });
        } finally {
            Parallel.setThreads(before);
        }
        Map<String, Tensor> state = new RunDirectory(run).readCheckpoint().model();
        assertNull(Evaluation.nonFiniteValue(state), "every weight is finite");
        return StateDigest.sha256(state);
    }

    @Test
    void oneShardThroughTheShardedStepIsThePlainStepBitForBit() {
        Module plain = model();
        Module sharded = model();
        Batch batch = batch();
        CrossEntropyLoss criterion = new CrossEntropyLoss(0, CrossEntropyLoss.Smoothing.TORCH);
        plain.train(true);
        Variable objective = criterion.forward(plain.forward(new Variable(batch.images())), batch.labels());
        objective.backward();
        sharded.train(true);
        ShardedStep.Outcome outcome = new ShardedStep(sharded, criterion, 1, new LocalCollective()).run(batch);
        assertEquals(objective.item(), outcome.loss());
        List<Variable> expected = List.copyOf(plain.namedParameters().values());
        List<Variable> got = List.copyOf(sharded.namedParameters().values());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).grad().toFloatArray(), got.get(i).grad().toFloatArray());
        }
        assertEquals(StateDigest.sha256(plain), StateDigest.sha256(sharded), "the same BatchNorm running statistics");
    }

    @Test
    void twoShardsAverageTheGradientsAndRunningStatisticsOfEachShardAlone() {
        Batch batch = batch();
        CrossEntropyLoss criterion = new CrossEntropyLoss(0, CrossEntropyLoss.Smoothing.TORCH);
        List<Module> alone = List.of(model(), model());
        for (int s = 0; s < 2; s++) {
            Module m = alone.get(s).train(true);
            Tensor images = batch.images().slice(0, 4 * s, 4 * s + 4).copy();
            int[] labels = Arrays.copyOfRange(batch.labels(), 4 * s, 4 * s + 4);
            criterion.forward(m.forward(new Variable(images)), labels).backward();
        }
        Module sharded = model().train(true);
        new ShardedStep(sharded, criterion, 2, new LocalCollective()).run(batch);
        List<Variable> first = List.copyOf(alone.get(0).namedParameters().values());
        List<Variable> second = List.copyOf(alone.get(1).namedParameters().values());
        List<Variable> got = List.copyOf(sharded.namedParameters().values());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(mean(first.get(i).grad(), second.get(i).grad()), got.get(i).grad().toFloatArray());
        }
        Map<String, Tensor> buffersFirst = alone.get(0).namedBuffers();
        Map<String, Tensor> buffersSecond = alone.get(1).namedBuffers();
        sharded.namedBuffers().forEach((name, buffer) -> assertArrayEquals(
                mean(buffersFirst.get(name), buffersSecond.get(name)), buffer.toFloatArray(), name));
    }

    /** (a + b) / 2 in float32, element by element: the tree over two shards, divided by S = 2. */
    private static float[] mean(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        float[] m = new float[x.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (x[i] + y[i]) / 2;
        }
        return m;
    }

    @Test
    void aStoredConfigWithoutShardsMeansOneAndOneShardTrainsAsBefore() throws IOException {
        TrainConfig one = config(1);
        Map<String, String> stored = new LinkedHashMap<>(one.toMap());
        stored.remove(TrainConfig.SHARDS);
        assertEquals(one, TrainConfig.fromMap(stored));
        assertEquals(trainedWeights(one, 1, "one"), trainedWeights(TrainConfig.fromMap(stored), 1, "stored"));
    }

    @Test
    void severalShardsGiveDeterministicWeightsOnAnyThreadCount() throws IOException {
        String two = trainedWeights(config(2), 1, "two-1");
        assertEquals(two, trainedWeights(config(2), 2, "two-2"));
        String four = trainedWeights(config(4), 2, "four-2");
        assertEquals(four, trainedWeights(config(4), 1, "four-1"));
        String one = trainedWeights(config(1), 1, "one");
        assertNotEquals(one, two, "two shards normalise with their own statistics, so the weights differ");
        assertNotEquals(two, four);
    }

    @Test
    void aBatchThatShardsCannotSplitEvenlyIsAUsageError() throws IOException {
        List<String> problems = config(3).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("--batch 16 cannot be split into 3 shards"), problems.get(0));
        assertTrue(config(16).problems().get(0).contains("needs two images"));
    }

    private static Module model() {
        return ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, new Rng(3).split("init")));
    }

    private static Batch batch() {
        Rng rng = new Rng(5);
        float[] pixels = new float[8 * 16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextGaussian();
        }
        return new Batch(Tensor.fromArray(pixels, 8, 1, 16, 16), new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0, 0);
    }
}
