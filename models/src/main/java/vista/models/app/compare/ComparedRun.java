package vista.models.app.compare;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import vista.models.app.train.Evaluation;
import vista.models.app.train.Evaluator;
import vista.models.app.train.Progress;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SamplePredictions;

/**
 * One side of a comparison: a name and the model's answer for every test image. {@link #load} accepts
 * what a user has at hand:
 * <ul>
 *   <li>a prediction file ({@link PredictionFile}, recognised by its header line);</li>
 *   <li>a run folder of {@code vista train}: its {@value RunDirectory#CHECKPOINT} is evaluated on the run's
 *       own test split, as {@code vista eval --checkpoint} does;</li>
 *   <li>a checkpoint file, evaluated the same way.</li>
 * </ul>
 *
 * @param name        the path the user gave
 * @param predictions each test image's label and top-1 prediction
 */
public record ComparedRun(String name, SamplePredictions predictions) {

    /**
     * Reads or computes the predictions of {@code source} (class comment), saying on {@code log} when a
     * checkpoint is evaluated (which takes as long as {@code vista eval}).
     */
    public static ComparedRun load(Path source, PrintWriter log) throws IOException {
        if (Files.isDirectory(source)) {
            Path checkpoint = new RunDirectory(source).checkpoint();
            if (!Files.isRegularFile(checkpoint, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(source + " is a folder without " + RunDirectory.CHECKPOINT + ", so it is not a"
                        + " run of vista train; give a run folder, a checkpoint or a prediction file"
                        + " (vista eval --predictions FILE)");
            }
            return new ComparedRun(source.toString(), evaluate(checkpoint, log));
        }
        if (!Files.isRegularFile(source)) {
            throw new IOException(source + " does not exist; give a run folder, a checkpoint or a prediction file");
        }
        return new ComparedRun(source.toString(),
                isPredictionFile(source) ? PredictionFile.read(source) : evaluate(source, log));
    }

    /** The number of images this side answered. */
    public int size() {
        return predictions.size();
    }

    /** The images this side classified correctly. */
    public int correct() {
        int n = 0;
        for (int i = 0; i < predictions.size(); i++) {
            n += predictions.correct(i) ? 1 : 0;
        }
        return n;
    }

    private static SamplePredictions evaluate(Path checkpoint, PrintWriter log) throws IOException {
        log.println("Evaluating " + checkpoint + " on its run's test split...");
        log.flush();
        Evaluation result = Evaluator.evaluate(checkpoint, null, 0, 0, Progress.Mode.LINES,
                new PrintWriter(Writer.nullWriter()), true, true);
        return result.predictions();
    }

    private static boolean isPredictionFile(Path file) throws IOException {
        byte[] header = PredictionFile.HEADER.getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(header.length);
            return Arrays.equals(start, header);
        }
    }
}
