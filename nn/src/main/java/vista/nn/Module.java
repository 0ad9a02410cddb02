package vista.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.autograd.Variable;
import vista.tensor.Tensor;

/**
 * A piece of a network: a function of one input with named learnable parameters, named buffers
 * (state that is saved but not learned, such as BatchNorm's running statistics) and child modules.
 *
 * <p><b>Names.</b> Parameters and buffers are addressed by dotted paths built from registration names,
 * in registration order, exactly as PyTorch's {@code state_dict} names them: a block registered as
 * {@code "layer1"} holding a child {@code "0"} with a child {@code "conv1"} gives
 * {@code layer1.0.conv1.weight}. The order is stable, so checkpoints, optimisers and digests see the
 * parameters in the same order on every run.
 *
 * <p><b>Modes.</b> A module starts in training mode; {@link #eval()} switches it and all its
 * descendants to evaluation mode (BatchNorm then uses running statistics, Dropout does nothing).
 */
public abstract class Module {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for {@code input}. */
    public abstract Variable forward(Variable input);

    // ---------------------------------------------------------------- registration (for subclasses)

    /** Registers {@code initial} as a learnable parameter (a leaf that requires grad) named {@code name}. */
    protected final Variable registerParameter(String name, Tensor initial) {
        checkName(name);
        Variable p = new Variable(initial, true);
        parameters.put(name, p);
        return p;
    }

    /** Registers {@code value} as a buffer named {@code name}; update it in place with {@code copyFrom}. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers {@code child} under {@code name}; returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be non-empty and contain no dot (dots separate path components)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    // ---------------------------------------------------------------- traversal

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out, null);
        return Collections.unmodifiableMap(out);
    }

    /** Every buffer of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return Collections.unmodifiableMap(out);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct children, by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of learnable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Variable p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    private void collect(String prefix, Map<String, Variable> params, Map<String, Tensor> bufs) {
        // PyTorch's order: a module's own parameters, then its own buffers, then each child in turn.
        if (params != null) {
            parameters.forEach((name, p) -> params.put(prefix + name, p));
        }
        if (bufs != null) {
            buffers.forEach((name, b) -> bufs.put(prefix + name, b));
        }
        children.forEach((name, child) -> child.collect(prefix + name + ".", params, bufs));
    }

    // ---------------------------------------------------------------- modes

    /** Sets training ({@code true}) or evaluation mode on this module and all descendants; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    /** Switches to evaluation mode; returns this. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- state

    /**
     * The module's state: every parameter's data and every buffer, by dotted name. Parameters of a
     * module come before its buffers, and a module before its children (PyTorch's order). The tensors
     * are the live ones, not copies.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p.data()));
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, child) -> child.collectState(prefix + name + ".", out));
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. Every entry must exist with the
     * same shape, and every parameter and buffer must be given; otherwise nothing is changed and the
     * error lists the missing, unexpected and wrongly shaped names.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!given.shape().equals(e.getValue().shape())) {
                wrongShape.add(e.getKey() + " (expected " + e.getValue().shape() + ", got " + given.shape() + ")");
            }
        }
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            StringBuilder sb = new StringBuilder("loadStateDict(" + getClass().getSimpleName() + "): the state does not fit this module.");
            if (!missing.isEmpty()) {
                sb.append(" Missing: ").append(String.join(", ", missing)).append('.');
            }
            if (!unexpected.isEmpty()) {
                sb.append(" Unexpected: ").append(String.join(", ", unexpected)).append('.');
            }
            if (!wrongShape.isEmpty()) {
                sb.append(" Wrong shape: ").append(String.join(", ", wrongShape)).append('.');
            }
            throw new IllegalArgumentException(sb.toString());
        }
        own.forEach((name, target) -> target.copyFrom(state.get(name)));
    }
}
