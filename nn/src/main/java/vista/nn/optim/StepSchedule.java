package vista.nn.optim;

/**
 * Step decay: {@code η(t) = η γ^floor(t / S)}, the base rate η multiplied by γ every S steps or epochs
 * (PyTorch's {@code StepLR}; the ResNet ImageNet recipe is η = 0.1, γ = 0.1, S = 30 epochs). t counts
 * steps or epochs, as the caller chooses (see {@link LearningRateSchedule}).
 */
public final class StepSchedule implements LearningRateSchedule {
    private final double baseRate;
    private final long stepSize;
    private final double gamma;

    public StepSchedule(double baseRate, long stepSize, double gamma) {
        if (!(baseRate >= 0) || stepSize < 1 || !(gamma >= 0)) {
            throw new IllegalArgumentException("StepSchedule: expected baseRate >= 0, stepSize >= 1 and gamma >= 0, "
                    + "got " + baseRate + ", " + stepSize + " and " + gamma);
        }
        this.baseRate = baseRate;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double learningRate(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("StepSchedule: t must be >= 0, got " + t);
        }
        return baseRate * StrictMath.pow(gamma, t / stepSize);
    }
}
