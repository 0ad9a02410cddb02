package vista.bench.check;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vista.nn.checkpoint.AtomicFiles;

/**
 * The benchmark history, {@code bench/history/figures.jsonl}: one {@link Figure} per line, as JSON with
 * snake_case names, appended to by {@code ./vista bench-check --record} and never rewritten otherwise. A
 * missing file is an empty history.
 */
public final class History {
    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeNulls()
            .disableHtmlEscaping()
            .create();

    private History() {
    }

    /**
     * The figures of {@code file} in file order (none if it does not exist); blank lines are skipped.
     *
     * @throws IOException naming the file and line of a line that is not a complete figure
     */
    public static List<Figure> read(Path file) throws IOException {
        List<Figure> figures = new ArrayList<>();
        if (!Files.exists(file)) {
            return figures;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                figures.add(fromLine(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ", line " + (i + 1) + ": " + e.getMessage() + "; fix or delete that"
                        + " line (each line is one JSON figure written by ./vista bench-check --record)", e);
            }
        }
        return figures;
    }

    /**
     * Appends {@code figures} to {@code file}, one whole line each, through {@link AtomicFiles#append}: a
     * reader sees the old history or the new one, never half a line. Creates the file's folder if needed.
     */
    public static void append(Path file, List<Figure> figures) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Figure figure : figures) {
            text.append(toLine(figure)).append('\n');
        }
        AtomicFiles.createFolders(file.toAbsolutePath().getParent());
        AtomicFiles.append(file, text.toString());
    }

    /** The figure as one JSON line (without the line break). */
    static String toLine(Figure figure) {
        return GSON.toJson(figure);
    }

    /**
     * The figure of one JSON line.
     *
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    static Figure fromLine(String line) {
        Figure figure;
        try {
            figure = GSON.fromJson(line, Figure.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a JSON figure (" + e.getMessage() + ")", e);
        }
        if (figure == null || figure.date() == null || figure.commit() == null || figure.machine() == null
                || figure.benchCase() == null || figure.machine().cpu() == null || figure.machine().java() == null) {
            throw new IllegalArgumentException("a figure needs date, commit, machine (cpu, java) and case");
        }
        if (!(figure.ratio() > 0) || figure.threads() < 1) {
            throw new IllegalArgumentException("a figure needs a positive ratio and threads >= 1, got ratio "
                    + figure.ratio() + " and threads " + figure.threads());
        }
        instant(figure);
        return figure;
    }

    /**
     * The baseline of a new figure: among the figures of {@code history} measured on the same machine
     * ({@link Machine#sameAs}) for the same case and thread count, the one with the latest date (of equal
     * dates, the later line); empty if there is none.
     */
    public static Optional<Figure> baseline(List<Figure> history, Machine machine, String benchCase, int threads) {
        Figure latest = null;
        for (Figure f : history) {
            if (f.machine().sameAs(machine) && f.benchCase().equals(benchCase) && f.threads() == threads
                    && (latest == null || !instant(f).isBefore(instant(latest)))) {
                latest = f;
            }
        }
        return Optional.ofNullable(latest);
    }

    private static OffsetDateTime instant(Figure figure) {
        try {
            return OffsetDateTime.parse(figure.date());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date '" + figure.date() + "' is not an ISO date and time such as"
                    + " 2026-12-07T19:40Z", e);
        }
    }
}
