package vista.models.app.summary;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@link PaperAudit}s printed as a table for people ({@link #text()}) or as one JSON document for programs
 * ({@link #json()}), both stating the papers' counting conventions.
 *
 * <p>The JSON document's keys: {@code image} ({@code [C, H, W]}), {@code classes}, {@code conventions}
 * ({@code sasa}, {@code san}, {@code verdict}: the sentences of {@link #SASA_CONVENTION}, {@link
 * FigureComparison.Quantity#SAN_COUNTER} and {@link #VERDICT_CONVENTION}) and {@code models}, one object per model
 * with {@code model}, {@code paper} (the source), {@code params}, {@code cost} (in the paper's convention)
 * and, for SASA networks whose attention the paper counts differently, {@code cost_vista_count} (Vista's
 * 2 x MACs). Each of the last three has {@code quantity}, {@code convention}, {@code unit} ({@code M} or
 * {@code G}), {@code ours}, {@code published} (both in units), {@code rounded} (ours in {@code unit}, as
 * the paper would print it), {@code difference} (ours - published, in units), {@code relative_difference}
 * (a fraction of the published figure), {@code verdict} ({@code matches} or {@code differs}) and {@code
 * explanation} (null when it matches).
 *
 * @param audits the audited models, in the order to show them
 */
public record AuditReport(List<PaperAudit> audits) {
    /** How SASA's Table 1 counts, and what Vista shows beside it. */
    public static final String SASA_CONVENTION = "FLOPs = 2 x multiply-adds. \"FLOPs, paper's count\" also counts "
            + "the attention's positional logits q·r as k·k·C multiply-adds per pixel (Vista: k·C) and the attention "
            + "stem's values as four projections mixed at every pixel (Vista: the four mixed matrices formed once, "
            + "one projection per pixel), as the paper's figures imply.";
    /** When a row matches. */
    public static final String VERDICT_CONVENTION = "A row matches when ours, rounded half up to the printed "
            + "precision (one decimal, in M or G), is the published figure; difference = ours - published.";

    private static final int WIDTH = 120;
    private static final String[] HEADER = {"model", "quantity", "ours", "rounded", "published", "difference",
        "relative", "verdict"};
    private static final boolean[] RIGHT_ALIGNED = {false, false, true, true, true, true, true, false};

    // ---------------------------------------------------------------- text

    /**
     * The conventions, then a table per paper with a row per model and quantity, then the numbered
     * explanations the differing rows refer to.
     */
    public String text() {
        Map<String, Integer> explanationNumbers = new LinkedHashMap<>();
        Map<String, List<String[]>> rowsBySource = new LinkedHashMap<>();
        for (PaperAudit audit : audits) {
            List<String[]> rows = rowsBySource.computeIfAbsent(audit.source(), source -> new ArrayList<>());
            for (FigureComparison c : audit.rows()) {
                String verdict = c.matches() ? c.verdict() : c.verdict() + " ["
                        + explanationNumbers.computeIfAbsent(c.explanation(), e -> explanationNumbers.size() + 1) + "]";
                rows.add(new String[] {c == audit.params() ? audit.model() : "", c.quantity().label(),
                    String.format(Locale.ROOT, "%,d", c.ours()), c.rounded() + " " + c.quantity().unit(),
                    c.printed() + " " + c.quantity().unit(), String.format(Locale.ROOT, "%+,d", c.difference()),
                    String.format(Locale.ROOT, "%+.2f%%", 100 * c.relativeDifference()), verdict});
            }
        }
        int[] widths = IntStream.range(0, HEADER.length).map(c -> rowsBySource.values().stream().flatMap(List::stream)
                .mapToInt(r -> r[c].length()).reduce(HEADER[c].length(), Math::max)).toArray();

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Vista's counts beside the published figures, for one %dx%dx%d image and "
                + "%d classes.\n", PaperAudit.IMAGE.dim(0), PaperAudit.IMAGE.dim(1), PaperAudit.IMAGE.dim(2),
                PaperAudit.CLASSES));
        wrap(sb, "SASA's Table 1: " + SASA_CONVENTION, "");
        wrap(sb, "SAN's README: " + FigureComparison.Quantity.SAN_COUNTER.convention() + ".", "");
        wrap(sb, VERDICT_CONVENTION, "");
        rowsBySource.forEach((source, rows) -> {
            sb.append('\n').append(source).append('\n');
            SummaryReport.appendRow(sb, HEADER, widths, RIGHT_ALIGNED);
            rows.forEach(row -> SummaryReport.appendRow(sb, row, widths, RIGHT_ALIGNED));
        });
        if (!explanationNumbers.isEmpty()) {
            sb.append("\nExplanations of the rows that differ:\n");
            explanationNumbers.forEach((explanation, number) -> wrap(sb, "[" + number + "] " + explanation, "    "));
        }
        return sb.toString();
    }

    /**
     * Appends {@code text} in lines of at most {@link #WIDTH} characters, the later ones after {@code indent}.
     * A word of one character stays on the line of the word before it, so {@code 6.43 G} is never split.
     */
    private static void wrap(StringBuilder sb, String text, String indent) {
        List<String> words = new ArrayList<>();
        for (String word : text.split(" ")) {
            if (word.length() == 1 && !words.isEmpty()) {
                words.set(words.size() - 1, words.getLast() + " " + word);
            } else {
                words.add(word);
            }
        }
        int lineStart = sb.length();
        for (String word : words) {
            boolean firstWord = sb.length() == lineStart;
            if (!firstWord && sb.length() - lineStart + 1 + word.length() > WIDTH) {
                sb.append('\n');
                lineStart = sb.length();
                sb.append(indent);
            } else if (!firstWord) {
                sb.append(' ');
            }
            sb.append(word);
        }
        sb.append('\n');
    }

    // ---------------------------------------------------------------- JSON

    /** One JSON document on one line (keys in the class comment). */
    public String json() {
        JsonObject o = new JsonObject();
        JsonArray image = new JsonArray();
        IntStream.of(PaperAudit.IMAGE.dims()).forEach(image::add);
        o.add("image", image);
        o.addProperty("classes", PaperAudit.CLASSES);
        JsonObject conventions = new JsonObject();
        conventions.addProperty("sasa", SASA_CONVENTION);
        conventions.addProperty("san", FigureComparison.Quantity.SAN_COUNTER.convention());
        conventions.addProperty("verdict", VERDICT_CONVENTION);
        o.add("conventions", conventions);
        JsonArray models = new JsonArray();
        for (PaperAudit audit : audits) {
            JsonObject m = new JsonObject();
            m.addProperty("model", audit.model());
            m.addProperty("paper", audit.source());
            m.add("params", json(audit.params()));
            m.add("cost", json(audit.cost()));
            audit.vistaCost().ifPresent(c -> m.add("cost_vista_count", json(c)));
            models.add(m);
        }
        o.add("models", models);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    private static JsonObject json(FigureComparison c) {
        JsonObject j = new JsonObject();
        j.addProperty("quantity", c.quantity().label());
        j.addProperty("convention", c.quantity().convention());
        j.addProperty("unit", c.quantity().unit());
        j.addProperty("ours", c.ours());
        j.addProperty("published", Math.round(c.published()));
        j.addProperty("rounded", c.rounded());
        j.addProperty("difference", c.difference());
        j.addProperty("relative_difference", c.relativeDifference());
        j.addProperty("verdict", c.verdict());
        j.addProperty("explanation", c.explanation());
        return j;
    }
}
