package vista.models.app.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@value RunDirectory#METRICS} read back, one JSON object per finished epoch, for the commands that
 * report on runs ({@code vista plot}, {@code vista runs}). Blank lines are skipped; every error names the
 * file and the line.
 *
 * @param file  the file read
 * @param lines its lines, in order
 */
public record MetricLines(Path file, List<Line> lines) {
    /** One epoch's line and its number in the file, from 1. */
    public record Line(int number, JsonObject json) {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException naming the line if one is not a JSON object, or the file if it has no line
     */
    public static MetricLines read(Path file) throws IOException {
        List<String> text = JsonFiles.text(file).lines().toList();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(i + 1, JsonParser.parseString(text.get(i)).getAsJsonObject()));
            } catch (JsonParseException | IllegalStateException e) {
                throw new IOException(file + ", line " + (i + 1) + " is not a JSON object ("
                        + JsonFiles.reason(e) + "); repair or delete the line", e);
            }
        }
        if (lines.isEmpty()) {
            throw new IOException(file + " is empty: the run has no finished epoch");
        }
        return new MetricLines(file, List.copyOf(lines));
    }

    /** The last line: the last finished epoch. */
    public Line last() {
        return lines.get(lines.size() - 1);
    }

    /**
     * The number under {@code key} on {@code line}.
     *
     * @throws IOException naming the line and the key if there is no number there
     */
    public double number(Line line, String key) throws IOException {
        JsonElement value = line.json().get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IOException(file + ", line " + line.number() + " has no number for " + key
                    + "; it is not a line vista train wrote");
        }
        return value.getAsDouble();
    }
}
