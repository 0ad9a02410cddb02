package vista.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * How peaked a SASA model's attention is: for every attention layer and head, the mean over test images and
 * pixels of the largest weight in the pixel's window (1 = all weight on one neighbour, a saturated softmax
 * whose gradient vanishes; 1/49 = uniform over a full 7x7 window), and the mean entropy in nats. Reads a
 * checkpoint of {@code vista train} and the first N images of its test split:
 * <pre>
 *   ./vista bench-main vista.bench.AttentionSharpness runs/sasa/checkpoint.vckp 256
 * </pre>
 * With {@code init} as a third argument it measures the same model freshly initialised from the run's seed
 * instead of the checkpoint's weights (the state before training).
 */
public final class AttentionSharpness {
    private AttentionSharpness() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: AttentionSharpness CHECKPOINT IMAGES [init]");
        }
        Checkpoint saved = Checkpoint.read(Path.of(args[0]));
        int images = Integer.parseInt(args[1]);
        boolean initial = args.length > 2 && args[2].equals("init");
        TrainConfig config = TrainConfig.fromMap(saved.config());
        DataFacts facts = DataFacts.fromMap(saved.config());
        Module model = config.createModel(facts);
        if (!initial) {
            model.loadStateDict(saved.model());
        }
        model.eval();
        Dataset test = TrainingData.loadTest(config.data(), images);
        List<Map.Entry<String, LocalSelfAttention2d>> layers = new ArrayList<>();
        collect("", model, layers);
        System.out.printf(Locale.ROOT, "%s (%s), %d test images: per head, mean largest weight / mean entropy%n",
                config.model(), initial ? "at initialisation" : "after epoch " + saved.epoch(), test.size());
        for (Map.Entry<String, LocalSelfAttention2d> layer : layers) {
            double[][] sums = null;
            try (DataLoader loader = DataLoader.builder().setDataset(test).setBatchSize(64).setRng(new Rng(0))
                    .optShuffle(false).optTransforms(facts.normalize()).build();
                 LocalSelfAttention2d.Capture capture = layer.getValue().captureWeights();
                 var noGrad = Autograd.noGrad()) {
                for (Batch batch : loader.epoch(0)) {
                    model.forward(new Variable(batch.images()));
                    double[][] s = peaks(capture.weights());
                    if (sums == null) {
                        sums = s;
                    } else {
                        for (int h = 0; h < s.length; h++) {
                            sums[h][0] += s[h][0];
                            sums[h][1] += s[h][1];
                            sums[h][2] += s[h][2];
                        }
                    }
                }
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s", layer.getKey()));
            double all = 0;
            for (double[] head : sums) {
                line.append(String.format(Locale.ROOT, " %.3f/%.2f", head[0] / head[2], head[1] / head[2]));
                all += head[0] / head[2];
            }
            System.out.println(line.append(String.format(Locale.ROOT, "   mean %.3f", all / sums.length)));
        }
    }

    /** Per head: the sum over images and pixels of the largest weight, of the entropy, and the pixel count. */
    private static double[][] peaks(Tensor weights) {
        int[] d = weights.dims(); // (N, heads, k*k, H, W)
        float[] p = weights.toFloatArray();
        int n = d[0];
        int heads = d[1];
        int window = d[2];
        int pixels = d[3] * d[4];
        double[][] out = new double[heads][3];
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                for (int x = 0; x < pixels; x++) {
                    double max = 0;
                    double entropy = 0;
                    for (int w = 0; w < window; w++) {
                        double v = p[((i * heads + h) * window + w) * pixels + x];
                        max = Math.max(max, v);
                        entropy -= v > 0 ? v * Math.log(v) : 0;
                    }
                    out[h][0] += max;
                    out[h][1] += entropy;
                    out[h][2] += 1;
                }
            }
        }
        return out;
    }

    private static void collect(String prefix, Module module, List<Map.Entry<String, LocalSelfAttention2d>> out) {
        if (module instanceof LocalSelfAttention2d attention) {
            out.add(Map.entry(prefix, attention));
            return;
        }
        module.children().forEach((name, child) -> collect(prefix.isEmpty() ? name : prefix + "." + name, child, out));
    }
}
