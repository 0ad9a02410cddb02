package vista.models.app.train;

/**
 * Training stopped because a loss or a weight became NaN or infinite. The message names the epoch and
 * the step, and where the last good checkpoint is; the run's files are left as they were after that
 * checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final long step;

    /**
     * @param epoch the epoch (from 1) in which it happened
     * @param step  the optimiser step (from 1, counted over the whole run) in which it happened
     */
    TrainingDivergedException(int epoch, long step, String message) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** The epoch (from 1) in which training diverged. */
    public int epoch() {
        return epoch;
    }

    /** The optimiser step (from 1, over the whole run) in which training diverged. */
    public long step() {
        return step;
    }
}
