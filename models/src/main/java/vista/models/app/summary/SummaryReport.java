package vista.models.app.summary;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import vista.models.app.summary.ModelSummary.Layer;
import vista.tensor.Shape;

/**
 * A {@link ModelSummary} of a named model, printed as a table for people ({@link #text()}) or as one
 * JSON object for programs ({@link #json()}), both stating the counting conventions.
 *
 * <p>The JSON object's keys, in order: {@code model}, {@code input} ({@code [C, H, W]}), {@code classes},
 * {@code params}, {@code macs}, {@code flops}, {@code flops_paper_count} (FLOPs with each layer counted as
 * its paper counts it, {@link ModelSummary#paperFlops()}; equal to {@code flops} without SASA layers),
 * {@code other_ops}, {@code paper} (an object with
 * {@code source}, {@code params}, {@code flops} (SASA) or {@code san_counter_macs} (SAN: compare with
 * macs + other_ops), {@code note}, or null), {@code layers} (one object per
 * row with {@code path}, {@code type}, {@code input} and {@code output} (shapes with the batch of one
 * first, null for a row that is not a call), {@code params}, {@code macs} and {@code other_ops} (null
 * when the layer reports no cost)) and {@code conventions} (the sentences of {@link ModelSummary}).
 *
 * @param model   the model's name in the zoo
 * @param classes the number of classes it was built with
 * @param summary the counts
 * @param paper   published figures for the same setting, if any
 */
public record SummaryReport(String model, int classes, ModelSummary summary, Optional<PaperFigures> paper) {

    /** The report of {@code summary}, with the paper's figures for {@code model} in its setting if known. */
    public static SummaryReport of(String model, int classes, ModelSummary summary) {
        return new SummaryReport(model, classes, summary, PaperFigures.find(model, summary.image(), classes));
    }

    // ---------------------------------------------------------------- text

    /**
     * The per-layer table, then the totals beside the paper's figures, then the conventions. When the
     * paper counts some layer differently (SASA), a row "FLOPs, paper's count" follows ours, and the
     * paper's FLOPs stand beside it.
     */
    public String text() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer", "type", "output shape", "params", "MACs", "other ops"});
        for (Layer l : summary.layers()) {
            rows.add(new String[] {l.path().isEmpty() ? "(model)" : l.path(), l.type(),
                    l.isCall() ? shape(l.output()) : "not run", count(l.params()),
                    l.cost() == null ? "?" : count(l.macs()), l.cost() == null ? "?" : count(l.otherOps())});
        }
        rows.add(new String[] {"total", "", "", count(summary.params()), count(summary.macs()),
                count(summary.otherOps())});
        boolean[] rightAligned = {false, false, false, true, true, true};
        int[] widths = IntStream.range(0, rightAligned.length)
                .map(c -> rows.stream().mapToInt(r -> r[c].length()).max().orElse(0)).toArray();

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Model %s, one %s image, %d classes: output %s%n%n", model,
                shape(summary.image()), classes, shape(summary.output())));
        for (int i = 0; i < rows.size(); i++) {
            if (i == rows.size() - 1) {
                sb.append("-".repeat(IntStream.of(widths).sum() + 2 * (widths.length - 1))).append('\n');
            }
            appendRow(sb, rows.get(i), widths, rightAligned);
        }

        sb.append('\n');
        boolean paperCounts = summary.paperMacs() != summary.macs();
        boolean sanCounter = paper.map(p -> p.measure() == PaperFigures.Measure.SAN_COUNTER).orElse(false);
        String paperFlops = paper.filter(p -> !sanCounter).map(p -> scaled(p.cost(), 1)).orElse("-");
        List<String[]> totals = new ArrayList<>();
        totals.add(new String[] {"", "ours", "", "paper"});
        totals.add(new String[] {"parameters", count(summary.params()), "(" + scaled(summary.params(), 2) + ")",
                paper.map(p -> scaled(p.params(), 1)).orElse("-")});
        totals.add(new String[] {"MACs", count(summary.macs()), "(" + scaled(summary.macs(), 2) + ")", "-"});
        totals.add(new String[] {"FLOPs", count(summary.flops()), "(" + scaled(summary.flops(), 2) + ")",
                paperCounts ? "-" : paperFlops});
        if (paperCounts) {
            totals.add(new String[] {"FLOPs, paper's count", count(summary.paperFlops()),
                    "(" + scaled(summary.paperFlops(), 2) + ")", paperFlops});
        }
        totals.add(new String[] {"other ops", count(summary.otherOps()), "(" + scaled(summary.otherOps(), 2) + ")", "-"});
        if (sanCounter) {
            long counted = summary.macs() + summary.otherOps();
            totals.add(new String[] {"MACs + other ops (SAN's counter)", count(counted), "(" + scaled(counted, 2) + ")",
                    scaled(paper.get().cost(), 1)});
        }
        int[] totalWidths = IntStream.range(0, 4)
                .map(c -> totals.stream().mapToInt(r -> r[c].length()).max().orElse(0)).toArray();
        for (String[] row : totals) {
            appendRow(sb, row, totalWidths, new boolean[] {false, true, false, false});
        }
        sb.append('\n');
        sb.append(paper.map(p -> "paper: " + p.source() + "; " + p.note())
                .orElse("paper: no published figures for this setting; " + PaperFigures.coverage())).append('\n');
        sb.append(ModelSummary.MACS_CONVENTION).append('\n');
        sb.append(ModelSummary.FLOPS_CONVENTION).append('\n');
        sb.append(ModelSummary.OTHER_OPS_CONVENTION).append('\n');
        if (paperCounts) {
            sb.append(ModelSummary.PAPER_COUNT_CONVENTION).append('\n');
        }
        sb.append(ModelSummary.NOT_COUNTED).append('\n');
        if (summary.layers().stream().anyMatch(l -> l.path().equals(ModelSummary.UNREGISTERED))) {
            sb.append(ModelSummary.UNREGISTERED).append(": a layer the model calls without registering it, so it has no path\n");
        }
        if (summary.layers().stream().anyMatch(l -> !l.isCall())) {
            sb.append("not run: parameters of layers that recorded no call during the forward pass\n");
        }
        List<String> withoutCost = summary.layersWithoutCost();
        if (!withoutCost.isEmpty()) {
            sb.append("?: these layers report no cost (they do not implement vista.autograd.Complexity): ")
                    .append(String.join(", ", withoutCost)).append('\n');
        }
        return sb.toString();
    }

    /** Appends {@code cells} as one line, each padded to its column's width, without trailing spaces. */
    public static void appendRow(StringBuilder sb, String[] cells, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(rightAligned[c] ? pad + cells[c] : cells[c] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** {@code 1x64x112x112}. */
    private static String shape(Shape shape) {
        return IntStream.of(shape.dims()).mapToObj(String::valueOf).collect(Collectors.joining("x"));
    }

    /** {@code 25,557,032}. */
    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 25.56 M}, {@code 4.09 G} (with {@code decimals} 2). */
    private static String scaled(double n, int decimals) {
        String[] units = {"G", "M", "K"};
        double[] scales = {1e9, 1e6, 1e3};
        for (int i = 0; i < units.length; i++) {
            if (n >= scales[i]) {
                return String.format(Locale.ROOT, "%." + decimals + "f %s", n / scales[i], units[i]);
            }
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }

    // ---------------------------------------------------------------- JSON

    /** One JSON object on one line (keys in the class comment). */
    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.add("input", dims(summary.image()));
        o.addProperty("classes", classes);
        o.addProperty("params", summary.params());
        o.addProperty("macs", summary.macs());
        o.addProperty("flops", summary.flops());
        o.addProperty("flops_paper_count", summary.paperFlops());
        o.addProperty("other_ops", summary.otherOps());
        o.add("paper", paper.<JsonElement>map(p -> {
            JsonObject j = new JsonObject();
            j.addProperty("source", p.source());
            j.addProperty("params", p.params());
            j.addProperty(p.measure() == PaperFigures.Measure.FLOPS ? "flops" : "san_counter_macs", p.cost());
            j.addProperty("note", p.note());
            return j;
        }).orElse(JsonNull.INSTANCE));
        JsonArray layers = new JsonArray();
        for (Layer l : summary.layers()) {
            JsonObject j = new JsonObject();
            j.addProperty("path", l.path());
            j.addProperty("type", l.type());
            j.add("input", l.isCall() ? dims(l.input()) : JsonNull.INSTANCE);
            j.add("output", l.isCall() ? dims(l.output()) : JsonNull.INSTANCE);
            j.addProperty("params", l.params());
            j.addProperty("macs", l.cost() == null ? null : l.macs());
            j.addProperty("other_ops", l.cost() == null ? null : l.otherOps());
            layers.add(j);
        }
        o.add("layers", layers);
        JsonObject conventions = new JsonObject();
        conventions.addProperty("macs", ModelSummary.MACS_CONVENTION);
        conventions.addProperty("flops", ModelSummary.FLOPS_CONVENTION);
        conventions.addProperty("other_ops", ModelSummary.OTHER_OPS_CONVENTION);
        conventions.addProperty("flops_paper_count", ModelSummary.PAPER_COUNT_CONVENTION);
        conventions.addProperty("not_counted", ModelSummary.NOT_COUNTED);
        o.add("conventions", conventions);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    private static JsonArray dims(Shape shape) {
        JsonArray a = new JsonArray();
        for (int d : shape.dims()) {
            a.add(d);
        }
        return a;
    }
}
