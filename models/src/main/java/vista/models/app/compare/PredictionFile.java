package vista.models.app.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import vista.models.app.train.SamplePredictions;
import vista.nn.checkpoint.AtomicFiles;

/**
 * A prediction file, as {@code vista eval --predictions FILE} writes it: CSV with the header line
 * {@value #HEADER} and one line per test image in the data's order, e.g. {@code 0,9,9,0.981234}: the
 * image's number (from 0), its true class, the predicted class (top-1) and the softmax probability of the
 * predicted class. {@code vista compare} reads it back. Written atomically ({@link AtomicFiles}).
 */
public final class PredictionFile {
    /** The first line of every prediction file. */
    public static final String HEADER = "index,label,predicted,probability";

    private PredictionFile() {
    }

    /** Writes {@code predictions} to {@code file}, replacing it atomically. */
    public static void write(Path file, SamplePredictions predictions) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < predictions.size(); i++) {
            sb.append(i).append(',').append(predictions.labels()[i]).append(',').append(predictions.predicted()[i])
                    .append(',').append(String.format(Locale.ROOT, "%.6f", predictions.probability()[i])).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Reads a prediction file.
     *
     * @throws IOException naming the file and line if it cannot be read, lacks the header, or a line is not
     *     four fields with consecutive numbers, classes of at least 0 and a probability in [0, 1]
     */
    public static SamplePredictions read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException(file + " is not a prediction file: its first line should be " + HEADER
                    + "; write one with vista eval --predictions FILE");
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new IOException(file + " holds no predictions, only its header; evaluate again with --predictions");
        }
        int[] labels = new int[rows.size()];
        int[] predicted = new int[rows.size()];
        double[] probability = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] fields = rows.get(i).strip().split(",", -1);
            String where = file + ", line " + (i + 2) + " (" + rows.get(i).strip() + ")";
            try {
                if (fields.length != 4) {
                    throw new IOException(where + ": expected 4 fields (" + HEADER + "), got " + fields.length);
                }
                if (Integer.parseInt(fields[0]) != i) {
                    throw new IOException(where + ": expected image number " + i + "; the lines must number the"
                            + " images 0, 1, 2, ... in order, as vista eval writes them");
                }
                labels[i] = Integer.parseInt(fields[1]);
                predicted[i] = Integer.parseInt(fields[2]);
                probability[i] = Double.parseDouble(fields[3]);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": " + e.getMessage() + " is not a number; repair the line or write the"
                        + " file again with vista eval --predictions", e);
            }
            if (labels[i] < 0 || predicted[i] < 0 || !(probability[i] >= 0 && probability[i] <= 1)) {
                throw new IOException(where + ": classes must be at least 0 and the probability in [0, 1]");
            }
        }
        return new SamplePredictions(labels, predicted, probability);
    }
}
