package vista.nn.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import vista.autograd.Variable;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum, exactly PyTorch's {@code torch.optim.SGD} (dampening 0).
 * For each parameter p with gradient ∇, learning rate η, momentum μ and weight decay λ:
 * <pre>
 *   g = ∇ + λ p                         (λ = 0 for parameters excluded from weight decay)
 *   v = g             on the first step,   v = μ v + g   afterwards      (the velocity, if μ != 0)
 *   s = g + μ v       with Nesterov momentum,   s = v   without          (s = g if μ = 0)
 *   p = p - η s
 * </pre>
 * Parameters whose gradient is null (not reached by the backward pass) are skipped, velocity included,
 * as in PyTorch. Updates are computed in float32, element by element in place (so they do not depend on
 * the thread count), on the parameters' data; float64 parameters are updated through float32 as well.
 *
 * <pre>{@code
 * Sgd sgd = Sgd.builder(model.namedParameters())
 *         .setLearningRate(0.1).optMomentum(0.9).optNesterov(true).optWeightDecay(1e-4)
 *         .optNoWeightDecay(Sgd.oneDimensional(model.namedParameters()))
 *         .build();
 * }</pre>
 *
 * <p>The velocities are the optimiser's state: {@link #stateDict()} names each by its parameter, for
 * checkpoints, and {@link #loadStateDict} restores them.
 */
public final class Sgd {
    private final Map<String, Variable> parameters;
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Predicate<String> noWeightDecay;
    private final Map<String, Tensor> velocities = new LinkedHashMap<>();
    private double learningRate;

    private Sgd(Builder b) {
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.nesterov = b.nesterov;
        this.noWeightDecay = b.noWeightDecay;
    }

    /** A builder over the parameters to optimise, by name (usually {@code model.namedParameters()}). */
    public static Builder builder(Map<String, Variable> namedParameters) {
        return new Builder(namedParameters);
    }

    /**
     * The names of the parameters of rank 0 or 1: biases and BatchNorm's γ and β, which are commonly
     * excluded from weight decay.
     */
    public static Predicate<String> oneDimensional(Map<String, Variable> namedParameters) {
        Set<String> names = new TreeSet<>();
        namedParameters.forEach((name, p) -> {
            if (p.rank() <= 1) {
                names.add(name);
            }
        });
        return names::contains;
    }

    /** Applies one update to every parameter that has a gradient (see the class comment). */
    public void step() {
        float lr = (float) learningRate;
        float mu = (float) momentum;
        parameters.forEach((name, p) -> {
            if (p.grad() == null) {
                return;
            }
            float decay = noWeightDecay.test(name) ? 0f : (float) weightDecay;
            Tensor data = p.data();
            boolean direct = data.dtype() == DType.FLOAT32 && data.isContiguous();
            float[] w = direct ? data.floats() : data.toFloatArray();
            int at = direct ? data.offset() : 0;
            Tensor gradient = p.grad();
            boolean directGrad = gradient.dtype() == DType.FLOAT32 && gradient.isContiguous();
            float[] grad = directGrad ? gradient.floats() : gradient.toFloatArray();
            int gradAt = directGrad ? gradient.offset() : 0;
            float[] v = momentum == 0 ? null : velocity(name, p);
            boolean first = v != null && !velocities.containsKey(name);
            for (int i = 0; i < p.numel(); i++) {
                float g = grad[gradAt + i] + decay * w[at + i];
                float s = g;
                if (v != null) {
                    v[i] = first ? g : mu * v[i] + g;
                    s = nesterov ? g + mu * v[i] : v[i];
                }
                w[at + i] -= lr * s;
            }
            if (first) {
                velocities.put(name, Tensor.fromArray(v, p.dims()));
            }
            if (!direct) {
                data.copyFrom(Tensor.fromArray(w, p.dims()));
            }
        });
    }

    /** The velocity array of {@code name}: the live one, or a fresh array before the first step. */
    private float[] velocity(String name, Variable p) {
        Tensor v = velocities.get(name);
        return v == null ? new float[p.numel()] : v.floats();
    }

    /** Forgets every parameter's gradient (call before each backward pass). */
    public void zeroGrad() {
        parameters.values().forEach(Variable::zeroGrad);
    }

    public double learningRate() {
        return learningRate;
    }

    /** Sets η for the next steps (a {@link LearningRateSchedule} gives its value per step or epoch). */
    public void setLearningRate(double learningRate) {
        checkNonNegative("learning rate", learningRate);
        this.learningRate = learningRate;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean nesterov() {
        return nesterov;
    }

    /** The optimised parameters, by name, in the order they were given. */
    public Map<String, Variable> parameters() {
        return parameters;
    }

    /**
     * The velocities, by parameter name, in parameter order (the live tensors); a parameter that has not
     * been updated with momentum yet has none.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.keySet().forEach(name -> {
            if (velocities.containsKey(name)) {
                out.put(name, velocities.get(name));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Replaces the velocities with copies of {@code state}. Every name must be an optimised parameter and
     * every tensor must have its shape; otherwise nothing changes and the error lists the offending names.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        List<String> unexpected = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        state.forEach((name, v) -> {
            Variable p = parameters.get(name);
            if (p == null) {
                unexpected.add(name);
            } else if (!p.shape().equals(v.shape())) {
                wrongShape.add(name + " (expected " + p.shape() + ", got " + v.shape() + ")");
            }
        });
        if (!unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw new IllegalArgumentException("Sgd.loadStateDict: the state does not fit the parameters."
                    + (unexpected.isEmpty() ? "" : " Unexpected: " + String.join(", ", unexpected) + ".")
                    + (wrongShape.isEmpty() ? "" : " Wrong shape: " + String.join(", ", wrongShape) + "."));
        }
        velocities.clear();
        parameters.keySet().forEach(name -> {
            if (state.containsKey(name)) {
                velocities.put(name, state.get(name).to(DType.FLOAT32).copy());
            }
        });
    }

    private static void checkNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Sgd: " + what + " must be finite and >= 0, got " + value);
        }
    }

    /** Settings of an {@link Sgd}: {@code set} for the required learning rate, {@code opt} for the rest. */
    public static final class Builder {
        private final Map<String, Variable> parameters;
        private double learningRate = Double.NaN;
        private double momentum;
        private double weightDecay;
        private boolean nesterov;
        private Predicate<String> noWeightDecay = name -> false;

        private Builder(Map<String, Variable> parameters) {
            this.parameters = parameters;
        }

        /** η, required. */
        public Builder setLearningRate(double learningRate) {
            checkNonNegative("learning rate", learningRate);
            this.learningRate = learningRate;
            return this;
        }

        /** μ, default 0 (no velocity). */
        public Builder optMomentum(double momentum) {
            checkNonNegative("momentum", momentum);
            this.momentum = momentum;
            return this;
        }

        /** λ, default 0. */
        public Builder optWeightDecay(double weightDecay) {
            checkNonNegative("weight decay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** Nesterov momentum, default false; needs a momentum. */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** The parameters (by name) to exclude from weight decay, default none; see {@link #oneDimensional}. */
        public Builder optNoWeightDecay(Predicate<String> excluded) {
            this.noWeightDecay = excluded;
            return this;
        }

        public Sgd build() {
            if (Double.isNaN(learningRate)) {
                throw new IllegalStateException("Sgd: the learning rate is required (setLearningRate)");
            }
            if (nesterov && momentum == 0) {
                throw new IllegalStateException("Sgd: Nesterov momentum needs a momentum > 0");
            }
            return new Sgd(this);
        }
    }
}
