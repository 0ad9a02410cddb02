package vista.nn.optim;


/**
 * Linear warmup, then cosine annealing (Loshchilov and Hutter 2017, without restarts). With base rate
 * η, warmup length W, total length T, start factor f and final rate η_min:
 * <pre>
 *   t &lt; W:       η(t) = η (f + (1 - f) t / W)                                   (from f η up to η)
 *   W &lt;= t &lt; T:  η(t) = η_min + (η - η_min) (1 + cos(π (t - W) / (T - W))) / 2  (from η down to η_min)
 *   t &gt;= T:      η(t) = η_min
 * </pre>
 * With f = 0 the very first step (t = 0) has rate 0; a start factor such as 1/W avoids the wasted step.
 * The cosine is {@code StrictMath.cos}, so the rates are the same on every machine. t counts steps or
 * epochs, as the caller chooses (see {@link LearningRateSchedule}).
 */
public final class CosineSchedule implements LearningRateSchedule {
    private final double baseRate;
    private final long warmup;
    private final long total;
    private final double startFactor;
    private final double minRate;

    /** Cosine from {@code baseRate} to 0 over {@code total}, without warmup. */
    public CosineSchedule(double baseRate, long total) {
        this(baseRate, 0, total, 0, 0);
    }

    /**
     * Warmup over {@code warmup} from {@code startFactor * baseRate} to {@code baseRate}, then cosine to
     * {@code minRate} at {@code total} (which includes the warmup).
     */
    public CosineSchedule(double baseRate, long warmup, long total, double startFactor, double minRate) {
        if (!(baseRate >= 0) || !(minRate >= 0) || minRate > baseRate) {
            throw new IllegalArgumentException("CosineSchedule: expected 0 <= minRate <= baseRate, got minRate "
                    + minRate + " and baseRate " + baseRate);
        }
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("CosineSchedule: expected 0 <= warmup < total, got warmup " + warmup
                    + " and total " + total);
        }
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("CosineSchedule: start factor must be in [0, 1], got " + startFactor);
        }
        this.baseRate = baseRate;
        this.warmup = warmup;
        this.total = total;
        this.startFactor = startFactor;
        this.minRate = minRate;
    }

    @Override
    public double learningRate(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("CosineSchedule: t must be >= 0, got " + t);
        }
        if (t < warmup) {
            return baseRate * (startFactor + (1 - startFactor) * t / warmup);
        }
        if (t >= total) {
            return minRate;
        }
        double progress = (double) (t - warmup) / (total - warmup);
        return minRate + (baseRate - minRate) * (1 + StrictMath.cos(StrictMath.PI * progress)) / 2;
    }
}
