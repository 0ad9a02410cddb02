package vista.nn.optim;

/**
 * The learning rate as a function of a counter t = 0, 1, 2, ...
 *
 * <p>The schedule does not know what t counts: the training loop decides. Per step (t = the number of
 * optimiser steps taken so far, the rate set before each step) gives smooth curves and is what
 * {@link CosineSchedule}'s warmup is usually meant for; per epoch (t = the epoch index, the rate set at
 * the start of each epoch) reproduces the classic ImageNet recipes such as {@link StepSchedule} with
 * S = 30. Lengths given to a schedule are in the same unit as t.
 *
 * <pre>{@code
 * sgd.setLearningRate(schedule.learningRate(step));
 * sgd.step();
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate for counter value {@code t >= 0}. */
    double learningRate(long t);
}
