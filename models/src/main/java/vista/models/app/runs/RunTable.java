package vista.models.app.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import vista.models.app.stats.Interval;
import vista.models.app.stats.Proportion;
import vista.models.app.summary.ModelSummary;
import vista.models.app.summary.SummaryReport;

/**
 * Runs side by side, one row each, as aligned text, as a Markdown table, or as JSON values. The columns:
 * <pre>
 * run  model  recipe  epochs  parameters  MACs  top-1 %  95% interval  top-5 %  images/s  training time  threads
 * </pre>
 * top-1 is the test accuracy after the last finished epoch, with its exact (Clopper-Pearson) 95% interval
 * ({@link Proportion}); images/s are all training images over all step time; training time is the sum
 * of the epochs' step time, without test passes and start-up; threads lists each session's thread count
 * when a resumed run changed it ("2 then 1").
 */
public final class RunTable {
    private static final String[] HEADER = {"run", "model", "recipe", "epochs", "parameters", "MACs / image",
        "test top-1 %", "95% interval", "top-5 %", "images/s", "training time", "threads"};
    private static final boolean[] RIGHT = {false, false, false, true, true, true, true, false, true, true, true,
        false};

    private RunTable() {
    }

    /** The rows as aligned text columns, followed by what the columns count. */
    public static String text(List<RunResult> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        runs.forEach(r -> rows.add(cells(r)));
        int[] widths = IntStream.range(0, HEADER.length)
                .map(c -> rows.stream().mapToInt(r -> r[c].length()).max().orElse(0)).toArray();
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            SummaryReport.appendRow(sb, row, widths, RIGHT);
        }
        return sb.append(notes()).toString();
    }

    /** The rows as a Markdown table, followed by what the columns count. */
    public static String markdown(List<RunResult> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (boolean right : RIGHT) {
            sb.append(right ? "---:|" : "---|");
        }
        sb.append('\n');
        for (RunResult r : runs) {
            sb.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        }
        return sb.append('\n').append(notes()).toString();
    }

    /**
     * The rows as JSON values: {@code runs}, each with {@code run}, {@code model}, {@code recipe} (SASA
     * networks only),
     * {@code epochs}, {@code epochs_planned}, {@code parameters}, {@code macs}, {@code test_correct},
     * {@code test_images}, {@code top1}, {@code top1_interval} (fractions), {@code top5},
     * {@code images_per_second}, {@code training_seconds} and {@code threads} (per session); and
     * {@code interval_method}.
     */
    public static Map<String, Object> json(List<RunResult> runs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.name());
            m.put("model", r.model());
            if (r.recipe() != null) {
                m.put("recipe", r.recipe());
            }
            m.put("epochs", r.epochsDone());
            m.put("epochs_planned", r.epochsPlanned());
            m.put("parameters", r.params());
            m.put("macs", r.macs());
            m.put("test_correct", r.top1().successes());
            m.put("test_images", r.top1().trials());
            m.put("top1", r.top1().rate());
            Interval ci = r.top1().interval();
            m.put("top1_interval", List.of(ci.lower(), ci.upper()));
            m.put("top5", r.top5());
            m.put("images_per_second", r.imagesPerSecond());
            m.put("training_seconds", r.trainSeconds());
            m.put("threads", r.threads());
            rows.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", rows);
        m.put("interval_method", Proportion.METHOD);
        return m;
    }

    private static String[] cells(RunResult r) {
        Interval ci = r.top1().interval();
        return new String[] {r.name(), r.model(), r.recipe() == null ? "-" : r.recipe(),
            r.epochsDone() + (r.epochsDone() == r.epochsPlanned() ? "" : " of " + r.epochsPlanned()),
            String.format(Locale.ROOT, "%,d", r.params()), String.format(Locale.ROOT, "%,d", r.macs()),
            String.format(Locale.ROOT, "%.2f", 100 * r.top1().rate()), ci.percent(2),
            String.format(Locale.ROOT, "%.2f", 100 * r.top5()), String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()),
            duration(r.trainSeconds()), threads(r.threads())};
    }

    /** Session thread counts with repeats merged: [2, 2, 1] gives "2 then 1". */
    static String threads(List<Integer> sessions) {
        List<Integer> changes = new ArrayList<>();
        for (int t : sessions) {
            if (changes.isEmpty() || changes.get(changes.size() - 1) != t) {
                changes.add(t);
            }
        }
        return changes.stream().map(String::valueOf).collect(Collectors.joining(" then "));
    }

    /** Seconds as h:mm:ss. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String notes() {
        return "test top-1: after the last finished epoch; 95% interval: " + Proportion.METHOD + ".\n"
                + "images/s: all training images over all step time; training time: the epochs' step time, without"
                + " test passes and start-up.\n"
                + "recipe: the attention recipe of SASA networks (others have none).\n"
                + ModelSummary.MACS_CONVENTION + ".\n";
    }
}
