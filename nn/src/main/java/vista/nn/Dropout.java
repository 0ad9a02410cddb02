package vista.nn;

import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Inverted dropout with drop probability p. In training mode {@code y = x m / (1 - p)}, where the mask
 * m is 0 (dropped) or 1 (kept) for each element; backward {@code dL/dx = g m / (1 - p)}. In evaluation
 * mode {@code y = x}. Scaling the kept values at training time keeps the expected activation the same in
 * both modes. (p = 1 drops everything: y = 0.)
 *
 * <p><b>The mask is reproducible.</b> The k-th training-mode forward pass (k = 0, 1, ...; see
 * {@link #calls()}) draws from the stream {@code rng.split(k)} of the layer's {@link Rng}: element i
 * (row-major) is kept when the i-th {@link Rng#nextDouble()} of that stream is {@code >= p}. The mask is
 * drawn on the calling thread in element order, so it depends only on the seed and k, never on the
 * thread count; a resumed run restores k with {@link #setCalls(long)}.
 */
public final class Dropout extends Module {
    private final double p;
    private final Rng rng;
    private long calls;

    /** Dropout with probability {@code p} in [0, 1], its masks drawn from {@code rng}. */
    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Variable forward(Variable input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        Tensor mask = mask(input.dims(), calls++);
        return input.mul(new Variable(mask.to(input.dtype())));
    }

    /** The scaled mask {@code m / (1 - p)} of training-mode forward pass number {@code call}, float32. */
    Tensor mask(int[] dims, long call) {
        Tensor mask = Tensor.zeros(dims);
        float[] values = mask.floats();
        float kept = p == 1 ? 0f : (float) (1 / (1 - p));
        Rng stream = rng.split(call);
        for (int i = 0; i < values.length; i++) {
            values[i] = stream.nextDouble() >= p ? kept : 0f;
        }
        return mask;
    }

    /** The drop probability p. */
    public double probability() {
        return p;
    }

    /** How many training-mode forward passes have drawn a mask so far: the next one uses stream {@code calls()}. */
    public long calls() {
        return calls;
    }

    /** Sets the number of the next mask's stream (to resume a run exactly). */
    public void setCalls(long calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("Dropout: calls must be >= 0, got " + calls);
        }
        this.calls = calls;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
