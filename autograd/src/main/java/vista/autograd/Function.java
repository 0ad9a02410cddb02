package vista.autograd;

import java.util.Arrays;
import java.util.List;
import vista.tensor.BufferPool;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * One differentiable operation, and the graph node that remembers how its result was made.
 *
 * <p>A subclass implements two methods on raw tensors (the style of CMU needle's {@code compute} and
 * {@code gradient}):
 * <ul>
 *   <li>{@link #forward} computes {@code y = f(x_0, ..., x_n)} and {@link #save saves} the tensors the
 *       derivative needs;</li>
 *   <li>{@link #backward} receives {@code g = dL/dy} (the shape of {@code y}) and returns
 *       {@code dL/dx_i} for every input, each of the shape of {@code x_i}, written with tensor ops.</li>
 * </ul>
 * Each subclass's javadoc states both formulas; one that can say what its forward pass costs implements
 * {@link Complexity} as well. {@link #apply} runs the forward pass on the inputs' data and, if gradients
 * are being recorded and some input requires one, makes this object the creator of the result: its
 * inputs, in order, are the parents of the result in the graph.
 *
 * <p>An instance is one node: create a new one for every call ({@code new Mul().apply(a, b)}).
 * After a backward pass without {@code retainGraph} the node releases its saved tensors and its edges
 * to its inputs (both set to null or emptied), so that intermediate results can be garbage-collected
 * even while the final variable is still referenced; a further backward through this node fails.
 */
public abstract class Function {
    private static final Tensor[] NOTHING_SAVED = new Tensor[0];

    private boolean applied;
    private List<Variable> inputs = List.of();
    private boolean[] needsInputGrad;
    private Tensor[] saved = NOTHING_SAVED;
    private int ownedFrom;
    private boolean released;

    /**
     * Computes this operation on {@code inputs} and returns the result, recording this node as its
     * creator when grad mode is on ({@link Autograd#isGradEnabled()}) and some input requires grad.
     */
    public final Variable apply(Variable... inputs) {
        if (applied) {
            throw new IllegalStateException(name() + ": this Function instance has already been applied; "
                    + "create a new instance for every call, because each one is a separate graph node");
        }
        applied = true;
        boolean recording = Autograd.isGradEnabled();
        Tensor[] data = new Tensor[inputs.length];
        needsInputGrad = new boolean[inputs.length];
        boolean anyNeedsGrad = false;
        for (int i = 0; i < inputs.length; i++) {
            data[i] = inputs[i].data();
            needsInputGrad[i] = recording && inputs[i].requiresGrad();
            anyNeedsGrad |= needsInputGrad[i];
        }
        Ledger ledger = Ledger.current();
        long start = ledger == null ? 0 : System.nanoTime();
        Tensor result = forward(data);
        if (ledger != null) {
            ledger.addForward(this, data, result, System.nanoTime() - start);
        }
        if (!anyNeedsGrad) {
            return new Variable(result);
        }
        this.inputs = List.of(inputs);
        return new Variable(result, this);
    }

    /** Computes the result from the inputs' data and saves what {@link #backward} needs. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Given {@code g = dL/dy}, returns {@code dL/dx_i} for every input in order. An entry may be null
     * when {@link #needsInputGrad} is false for that input.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Keeps {@code tensors} for {@link #backward}, where {@link #saved} returns them by position. */
    protected final void save(Tensor... tensors) {
        saved = tensors.clone();
        ownedFrom = saved.length;
    }

    /**
     * Saves {@code tensors} after those of {@link #save} (their positions continue from there), as this
     * node's own: tensors its forward made for its backward alone and handed to no one else (SASA's
     * attention weights). A backward pass inside a {@link BufferPool} gives their arrays back with the
     * graph's intermediate results.
     */
    protected final void saveOwned(Tensor... tensors) {
        Tensor[] all = Arrays.copyOf(saved, saved.length + tensors.length);
        System.arraycopy(tensors, 0, all, saved.length, tensors.length);
        saved = all;
    }

    /** The tensor saved at {@code index} by {@link #save}. */
    protected final Tensor saved(int index) {
        return saved[index];
    }

    /** The tensors saved by {@link #save} and {@link #saveOwned} (none once released). */
    final Tensor[] savedTensors() {
        return saved == null ? NOTHING_SAVED : saved;
    }

    /** Whether saved tensor {@code index} came from {@link #saveOwned}. */
    final boolean isOwned(int index) {
        return index >= ownedFrom;
    }

    /**
     * Gives {@code scratch}, a tensor this node's {@link #backward} made for itself and let no one else
     * see (a mask, a partial product), back to the thread's {@link BufferPool}, if one is in use.
     */
    protected static void discard(Tensor scratch) {
        BufferPool.discard(scratch);
    }

    /** Whether input {@code index} needs a gradient; backward may skip the work when it does not. */
    protected final boolean needsInputGrad(int index) {
        return needsInputGrad[index];
    }

    /** The shape of input {@code index} (valid in {@link #backward}). */
    protected final Shape inputShape(int index) {
        return inputs.get(index).shape();
    }

    /** The inputs of this node, in order: the parents of its result in the graph (empty once released). */
    public final List<Variable> inputs() {
        return inputs;
    }

    /** The operation's name, used in error messages. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The kind a {@link Ledger} files this operation's time under: its {@link #name()} unless refined. */
    public String profileName() {
        return name();
    }

    /**
     * Runs {@link #backward}, checks that it returned one gradient of the right shape per needed input,
     * and converts each to its input's dtype (mixed float32/float64 operations promote to float64).
     */
    final Tensor[] gradients(Tensor gradOutput) {
        Ledger ledger = Ledger.current();
        long start = ledger == null ? 0 : System.nanoTime();
        Tensor[] grads = backward(gradOutput);
        if (ledger != null) {
            ledger.addBackward(this, System.nanoTime() - start);
        }
        if (grads.length != inputs.size()) {
            throw new IllegalStateException(name() + ".backward returned " + grads.length + " gradients for "
                    + inputs.size() + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (needsInputGrad[i] && (grads[i] == null || !grads[i].shape().equals(inputShape(i)))) {
                throw new IllegalStateException(name() + ".backward returned a gradient of shape "
                        + (grads[i] == null ? "null" : grads[i].shape()) + " for input " + i + " of shape "
                        + inputShape(i));
            }
            if (needsInputGrad[i]) {
                grads[i] = grads[i].to(inputs.get(i).dtype());
            }
        }
        return grads;
    }

    /** Drops the saved tensors and the edges to the inputs (a backward pass is done with them). */
    final void release() {
        saved = null;
        inputs = List.of();
        released = true;
    }

    final boolean isReleased() {
        return released;
    }
}
