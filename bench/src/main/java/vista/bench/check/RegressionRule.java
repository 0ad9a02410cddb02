package vista.bench.check;

import java.util.List;
import java.util.Optional;

/**
 * When a figure is a regression: its ratio (Vista's speed over PyTorch's) is more than
 * {@value #TOLERANCE_PERCENT}% below its baseline's, the latest figure of the same case and thread count
 * recorded on the same machine ({@link History#baseline}). PyTorch runs beside Vista in the same rounds, so
 * the ratio cancels most of what the machine's state does to both; a figure without a baseline is never
 * a regression.
 */
public final class RegressionRule {
    /** How much worse than its baseline a ratio may get, in percent, before it is a regression. */
    public static final int TOLERANCE_PERCENT = 15;

    private RegressionRule() {
    }

    /**
     * A figure judged against its baseline.
     *
     * @param figure the new figure
     * @param baseline its baseline, or null if the history has none
     * @param regression whether {@code figure.ratio() < (1 - 0.15) baseline.ratio()}
     */
    public record Verdict(Figure figure, Figure baseline, boolean regression) {

        /** {@code 100 (ratio / baseline ratio - 1)}: negative when Vista lost ground; null without a baseline. */
        public Double changePercent() {
            return baseline == null ? null : 100 * (figure.ratio() / baseline.ratio() - 1);
        }
    }

    /** Judges {@code figure} against its baseline in {@code history}. */
    public static Verdict judge(Figure figure, List<Figure> history) {
        Optional<Figure> baseline = History.baseline(history, figure.machine(), figure.benchCase(), figure.threads());
        boolean regression = baseline.isPresent()
                && figure.ratio() < (1 - TOLERANCE_PERCENT / 100.0) * baseline.get().ratio();
        return new Verdict(figure, baseline.orElse(null), regression);
    }
}
