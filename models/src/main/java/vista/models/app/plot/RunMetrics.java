package vista.models.app.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.models.app.train.JsonFiles;
import vista.models.app.train.MetricLines;
import vista.models.app.train.RunDirectory;

/**
 * What one run folder says about its learning: {@value RunDirectory#METRICS}, one line per finished epoch
 * (the keys of {@code TrainingObserver.Epoch#metrics()}), and, from {@value RunDirectory#MANIFEST} when the
 * run has one, the training loss of every step, which the manifest records for replay.
 *
 * @param name   the run's name in a legend: its folder's name
 * @param epochs the rows, in the file's order
 * @param steps  every recorded step's training loss, in order, at its position in epochs (step i of the
 *               n steps of epoch e at {@code e - 1 + (i + 1) / n}); empty without a manifest
 */
public record RunMetrics(String name, List<Epoch> epochs, List<Step> steps) {
    /** One step's training loss at {@code epochs}, its position in epochs from the start. */
    public record Step(double epochs, double loss) {
    }

    /**
     * One epoch's line.
     *
     * @param epoch    the epoch, from 1
     * @param trainLoss the training loss (mean over the epoch's steps, with the run's label smoothing)
     * @param trainAccuracy the training top-1 accuracy, in [0, 1]
     * @param testLoss the test cross-entropy after the epoch
     * @param testAccuracy the test top-1 accuracy after the epoch, in [0, 1]
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
    }

    /**
     * Reads {@code folder}'s metrics.
     *
     * @throws IOException naming the folder or the line if the folder is not a run folder with at least one
     *     finished epoch, or a line lacks a key
     */
    public static RunMetrics read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder; vista plot takes run folders of vista train (the --out"
                    + " of a run), which hold " + RunDirectory.METRICS);
        }
        RunDirectory run = new RunDirectory(folder);
        Path file = run.metrics();
        if (!Files.isRegularFile(file)) {
            throw new IOException(folder + " holds no " + RunDirectory.METRICS + ", so it is not the folder of a vista"
                    + " train run, or its first epoch has not finished; give the --out folder of a run");
        }
        MetricLines metrics = MetricLines.read(file);
        List<Epoch> epochs = new ArrayList<>();
        for (MetricLines.Line line : metrics.lines()) {
            epochs.add(new Epoch((int) metrics.number(line, "epoch"), metrics.number(line, "train_loss"),
                    metrics.number(line, "train_acc"), metrics.number(line, "test_loss"),
                    metrics.number(line, "test_acc")));
        }
        return new RunMetrics(run.name(), List.copyOf(epochs), steps(run.manifest()));
    }

    /** The step losses of the manifest {@code file} (epochs[].losses), or none if there is no such file. */
    private static List<Step> steps(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        try {
            JsonObject manifest = JsonFiles.object(file);
            JsonArray epochs = manifest.getAsJsonArray("epochs");
            if (epochs == null) {
                throw new IllegalStateException("no epochs");
            }
            for (JsonElement record : epochs) {
                JsonObject epoch = record.getAsJsonObject();
                if (!epoch.has("epoch") || !(epoch.get("losses") instanceof JsonArray)) {
                    throw new IllegalStateException("an epoch without its number or its losses");
                }
                int e = epoch.get("epoch").getAsInt();
                List<JsonElement> losses = epoch.getAsJsonArray("losses").asList();
                for (int i = 0; i < losses.size(); i++) {
                    steps.add(new Step(e - 1 + (i + 1.0) / losses.size(), losses.get(i).getAsDouble()));
                }
            }
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IOException(file + " is not a manifest of vista train (" + JsonFiles.reason(e) + "); vista plot"
                    + " reads each step's training loss from it: repair it, or move it out of the folder to plot the"
                    + " epochs only", e);
        }
        return List.copyOf(steps);
    }
}
