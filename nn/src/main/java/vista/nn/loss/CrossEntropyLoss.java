package vista.nn.loss;

import java.util.Arrays;
import vista.autograd.Variable;
import vista.tensor.Tensor;

/**
 * Cross-entropy of class logits against integer targets, averaged over the batch, with optional label
 * smoothing.
 *
 * <p>For logits z of shape {@code (N, K)} and targets t (N values in {@code [0, K)}):
 * <pre>
 *   log p[n, k] = log_softmax(z[n])[k]        (stable: the row's maximum is subtracted first)
 *   L           = -(1/N) sum_{n, k} w[n, k] log p[n, k]
 *   dL/dz       = (p - w) / N                  (each row of w sums to 1)
 * </pre>
 * where w is the target distribution of row n, in one of two conventions for a smoothing ε:
 * <ul>
 *   <li>{@link Smoothing#TORCH} ({@code torch.nn.CrossEntropyLoss(label_smoothing=ε)}): ε/K on every
 *       class plus 1 - ε on the target, so the target gets 1 - ε + ε/K;</li>
 *   <li>{@link Smoothing#SAN} (the official SAN training code's {@code smooth_loss}): 1 - ε on the
 *       target and ε/(K - 1) on each other class.</li>
 * </ul>
 * With ε = 0 both are the one-hot distribution, plain cross-entropy. The loss is built from autograd
 * operations (log-softmax, a product with the constant w, a sum), which give the gradient above.
 */
public final class CrossEntropyLoss {
    /** How label smoothing spreads ε over the classes. */
    public enum Smoothing {
        /** ε/K on every class, plus 1 - ε on the target (PyTorch). */
        TORCH,
        /** 1 - ε on the target, ε/(K - 1) on each other class (the official SAN code). */
        SAN
    }

    private final double epsilon;
    private final Smoothing smoothing;

    /** Plain cross-entropy, without label smoothing. */
    public CrossEntropyLoss() {
        this(0, Smoothing.TORCH);
    }

    /** Cross-entropy with label smoothing {@code epsilon} in [0, 1] spread by {@code smoothing}. */
    public CrossEntropyLoss(double epsilon, Smoothing smoothing) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + epsilon);
        }
        this.epsilon = epsilon;
        this.smoothing = smoothing;
    }

    /**
     * The mean loss of the batch, a rank-0 variable.
     *
     * @throws IllegalArgumentException if the logits are not {@code (N, K)} with N equal to the number of
     *     targets, or a target is outside {@code [0, K)} (the message names it and its index)
     */
    public Variable forward(Variable logits, int[] targets) {
        if (logits.rank() != 2 || logits.dims()[0] != targets.length || logits.dims()[0] == 0) {
            throw new IllegalArgumentException(this + ": expected logits (N, K) with N = " + targets.length
                    + " (the number of targets, at least 1), got " + logits.shape());
        }
        int k = logits.dims()[1];
        if (smoothing == Smoothing.SAN && epsilon > 0 && k < 2) {
            throw new IllegalArgumentException(this + ": SAN smoothing spreads ε over the K - 1 other classes "
                    + "and needs K >= 2, got logits " + logits.shape());
        }
        Tensor w = targetDistribution(targets, k).to(logits.dtype());
        return logits.logSoftmax(1).mul(new Variable(w)).sum().neg().div(targets.length);
    }

    /** The target distribution w of shape {@code (N, K)} (float64), one row per target. */
    public Tensor targetDistribution(int[] targets, int numClasses) {
        double other = switch (smoothing) {
            case TORCH -> epsilon / numClasses;
            case SAN -> numClasses > 1 ? epsilon / (numClasses - 1) : 0;
        };
        double onTarget = switch (smoothing) {
            case TORCH -> 1 - epsilon + epsilon / numClasses;
            case SAN -> 1 - epsilon;
        };
        double[] w = new double[targets.length * numClasses];
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] < 0 || targets[n] >= numClasses) {
                throw new IllegalArgumentException(this + ": target " + targets[n] + " at index " + n
                        + " is outside the classes [0, " + numClasses + ")");
            }
            Arrays.fill(w, n * numClasses, (n + 1) * numClasses, other);
            w[n * numClasses + targets[n]] = onTarget;
        }
        return Tensor.fromArray(w, targets.length, numClasses);
    }

    public double epsilon() {
        return epsilon;
    }

    public Smoothing smoothing() {
        return smoothing;
    }

    @Override
    public String toString() {
        return epsilon == 0 ? "CrossEntropyLoss" : "CrossEntropyLoss(smoothing " + epsilon + " " + smoothing + ")";
    }
}
