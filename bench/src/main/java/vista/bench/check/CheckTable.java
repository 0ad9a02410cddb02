package vista.bench.check;

import java.util.List;
import java.util.Locale;

/** The table {@code ./vista bench-check} prints: one row per figure, judged against its baseline. */
final class CheckTable {
    private static final String ROW = "%-26s %7s %9s %14s %6s  %-40s %7s  %s";

    private CheckTable() {
    }

    /** The rows of {@code verdicts} under a header, and a line saying how to read them. */
    static String render(List<RegressionRule.Verdict> verdicts) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "case", "threads", "Vista ms", "PyTorch ms", "ratio",
                "last recorded ratio (date, commit)", "change", "").stripTrailing()).append('\n');
        for (RegressionRule.Verdict v : verdicts) {
            Figure f = v.figure();
            String torch = String.format(Locale.ROOT, "%.1f", f.bestTorchMs())
                    + (f.bestTorchMs() < f.torchMs() ? " passive" : "");
            Figure b = v.baseline();
            String last = b == null ? "none on this machine"
                    : String.format(Locale.ROOT, "%.2f (%s, %s)", b.ratio(), b.date(), b.commit());
            String change = b == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", v.changePercent());
            String row = String.format(Locale.ROOT, ROW, f.benchCase(), f.threads(),
                    String.format(Locale.ROOT, "%.1f", f.vistaMs()), torch,
                    String.format(Locale.ROOT, "%.2f", f.ratio()), last, change, v.regression() ? "REGRESSION" : "");
            out.append(row.stripTrailing()).append('\n');
        }
        out.append("ratio = PyTorch ms / Vista ms (Vista's speed over PyTorch's); each time is the median over rounds."
                + " PyTorch's time at 2 threads or more is the faster of its default run and one with"
                + " OMP_WAIT_POLICY=PASSIVE ('passive' when that one was faster). REGRESSION: the ratio is more than "
                + RegressionRule.TOLERANCE_PERCENT + "% below the last one recorded on this machine.\n");
        return out.toString();
    }

    /** Vista's times alone, when PyTorch could not run. */
    static String renderVistaOnly(List<CaseRuns> runs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-26s %7s %9s%n", "case", "threads",
                "Vista ms"));
        for (CaseRuns r : runs) {
            out.append(String.format(Locale.ROOT, "%-26s %7d %9.1f%n", r.benchCase.key(), r.threads,
                    Quartiles.of(r.vistaMs).median()));
        }
        return out.toString();
    }
}
