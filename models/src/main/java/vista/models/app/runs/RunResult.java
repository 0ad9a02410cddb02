package vista.models.app.runs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.models.app.stats.Proportion;
import vista.models.app.summary.ModelSummary;
import vista.models.app.train.DataFacts;
import vista.models.app.train.JsonFiles;
import vista.models.app.train.MetricLines;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.TrainConfig;
import vista.models.zoo.ModelZoo;
import vista.tensor.Shape;

/**
 * What one run folder of {@code vista train} says about the run as a whole, for a table of runs side by
 * side: the model and its size, how far the run got, its last test accuracy and how fast it trained.
 *
 * <p>Read from {@value RunDirectory#CONFIG} (the model, the recipe, the image and the number of test
 * images), {@value RunDirectory#METRICS} (one line per finished epoch) and, when present,
 * {@value RunDirectory#MANIFEST} (the thread count of each session). The model's parameters and
 * multiply-adds are counted on a freshly built model of the config ({@link ModelSummary}), so they hold for
 * the run's weights, which have the same shapes.
 *
 * @param name          the folder's name
 * @param model         the zoo model
 * @param recipe        the config's attention recipe, or null for a model it does not shape
 * @param epochsDone    finished epochs (lines of metrics.jsonl)
 * @param epochsPlanned the config's epochs
 * @param params        the model's parameter count ({@link ModelSummary#params()})
 * @param macs          multiply-adds for one image ({@link ModelSummary#MACS_CONVENTION})
 * @param top1          the test top-1 accuracy after the last finished epoch, as correct images of the test set
 * @param top5          the test top-5 accuracy after the last finished epoch, a fraction
 * @param trainImages   images trained on over all finished epochs
 * @param trainSeconds  seconds of training steps over all finished epochs (test passes and start-up excluded)
 * @param threads       the kernel threads of each session, in order (one entry without a manifest)
 */
public record RunResult(String name, String model, String recipe, int epochsDone, int epochsPlanned, long params,
                        long macs, Proportion top1, double top5, double trainImages, double trainSeconds,
                        List<Integer> threads) {

    /** Training images per second over the whole run: all images over all step time. */
    public double imagesPerSecond() {
        return trainImages / trainSeconds;
    }

    /**
     * Reads {@code folder}.
     *
     * @throws IOException naming the folder or file and what to do, if the folder is not a run folder of
     *     vista train with at least one finished epoch, or one of its files is not what vista train writes
     */
    public static RunResult read(Path folder) throws IOException {
        RunDirectory run = new RunDirectory(folder);
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder; vista runs takes run folders of vista train (the --out"
                    + " of a run)");
        }
        for (Path file : List.of(run.config(), run.metrics())) {
            if (!Files.isRegularFile(file)) {
                throw new IOException(folder + " holds no " + file.getFileName() + ", so it is not the folder of a"
                        + " vista train run that finished an epoch; give the --out folder of such a run");
            }
        }
        JsonObject configJson = JsonFiles.object(run.config());
        TrainConfig config;
        DataFacts facts;
        try {
            config = TrainConfig.fromJson(configJson);
            facts = DataFacts.fromJson(configJson);
        } catch (IllegalArgumentException e) {
            throw new IOException(run.config() + ": " + e.getMessage() + "; it is not a config vista train wrote", e);
        }
        MetricLines metrics = MetricLines.read(run.metrics());
        double images = 0;
        double seconds = 0;
        for (MetricLines.Line epoch : metrics.lines()) {
            double s = metrics.number(epoch, "seconds");
            seconds += s;
            images += s * metrics.number(epoch, "images_per_second");
        }
        MetricLines.Line last = metrics.last();
        String where = run.metrics() + ", line " + last.number();
        ModelSummary summary = ModelSummary.of(config.createModel(facts),
                Shape.of(facts.channels(), facts.height(), facts.width()));
        String recipe = ModelZoo.usesAttentionRecipe(config.model()) ? config.attentionRecipe() : null;
        return new RunResult(run.name(), config.model(), recipe, metrics.lines().size(), config.epochs(),
                summary.params(), summary.macs(), correct(metrics.number(last, "test_acc"), facts.testSamples(), where),
                metrics.number(last, "test_top5"), images, seconds, threads(run.manifest(), configJson));
    }

    /** The count behind {@code accuracy} of {@code n} images, refusing a value no count gives. */
    private static Proportion correct(double accuracy, int n, String where) throws IOException {
        long count = Math.round(accuracy * n);
        if (Math.abs((double) count / n - accuracy) > 1e-9) {
            throw new IOException(where + ": test_acc " + accuracy + " is no count of the config's " + n
                    + " test images; the metrics and the config are not of the same run");
        }
        return new Proportion(count, n);
    }

    /** The threads of each session of the manifest, or the config's one value when there is no manifest. */
    private static List<Integer> threads(Path manifest, JsonObject config) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            return List.of(config.has("threads") ? config.get("threads").getAsInt() : 0);
        }
        List<Integer> threads = new ArrayList<>();
        try {
            JsonArray sessions = JsonFiles.object(manifest).getAsJsonArray("sessions");
            for (JsonElement session : sessions) {
                threads.add(session.getAsJsonObject().get("threads").getAsInt());
            }
        } catch (RuntimeException e) {
            throw new IOException(manifest + " has no sessions with their threads (" + JsonFiles.reason(e)
                    + "); it is not a manifest of vista train: repair it, or move it out of the folder", e);
        }
        return List.copyOf(threads);
    }

}
