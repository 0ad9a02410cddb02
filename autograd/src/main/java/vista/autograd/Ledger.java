package vista.autograd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.autograd.Complexity.Cost;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Vista's one channel for counting and timing: while a ledger is open on a thread, it writes down what
 * that thread runs, at two levels, and model summaries, the papers' audit and step profiles all read it.
 * <ul>
 *   <li><b>Layer calls</b>, in the order the layers ran, with the shapes of their input and output
 *       ({@link LayerCall}), and what each cost where the layer implements {@link Complexity}: the raw
 *       material of a model summary.</li>
 *   <li><b>Operations</b>, per kind ({@link Function#profileName()}, e.g. {@code Conv2d 1x1}): the wall time
 *       of every {@link Function} applied or differentiated, with the multiply-adds of those that
 *       implement {@link Complexity} ({@link Operation}), so that a kind's rate can be set beside the
 *       GEMM figure: where a step's time goes.</li>
 * </ul>
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad(); Ledger ledger = Ledger.open()) {
 *     model.forward(x);
 *     for (Ledger.LayerCall call : ledger.layerCalls()) { ... call.layer(), call.output(), call.cost() ... }
 *     for (Ledger.Operation op : ledger.operations()) { ... op.kind(), op.nanos(), op.forwardMacs() ... }
 * }
 * }</pre>
 *
 * <p><b>How layers take part.</b> A layer's {@code forward} ends with
 * {@code return Ledger.record(this, input, output);}, and implements {@link Complexity} to report its
 * cost. Vista's layers (Conv2d, Linear, BatchNorm2d, the pools, ReLU, Flatten, the SASA and SAN layers)
 * do. Only the layers that do the work should record: a block made of recording layers must not record
 * itself as well, or its children's work would be counted twice. (LocalSelfAttention2d holds its
 * projections as Conv2d children for their names but applies their weights as functions, so it records
 * once, with the projections in its cost.) What a block applies as functions rather than through a layer
 * (for example {@code x.relu()} or a residual {@code y.add(x)}) is among the operations but not the layer
 * calls. Modules need no hooks and no wrapper around {@code forward}.
 *
 * <p><b>What it costs.</b> With no ledger open, a layer call or an operation costs one thread-local read
 * more, nothing measurable, and a ledger never changes a result: {@link #record} returns its output, and
 * operations compute exactly as they would. A ledger belongs to the thread that opened it, which is where
 * layers and Functions run (kernels may use other threads): times are wall time on that thread, so a
 * kernel that runs on several threads counts once, for as long as it takes, and work done outside
 * Functions (parameter updates, data loading) is not seen. Ledgers do not nest.
 */
public final class Ledger implements AutoCloseable {
    private static final ThreadLocal<Ledger> OPEN = new ThreadLocal<>();

    /**
     * One call of a recording layer.
     *
     * @param layer  the layer (in Vista, a {@code vista.nn.Module})
     * @param input  the shape of its input
     * @param output the shape of its output
     */
    public record LayerCall(Object layer, Shape input, Shape output) {
        /** The call's cost, {@link Complexity#cost}; null if the layer does not implement {@link Complexity}. */
        public Cost cost() {
            return layer instanceof Complexity c ? c.cost(input, output) : null;
        }

        /** The call's cost as its paper counts it, {@link Complexity#paperCost}; null as for {@link #cost}. */
        public Cost paperCost() {
            return layer instanceof Complexity c ? c.paperCost(input, output) : null;
        }
    }

    /**
     * One kind of operation.
     *
     * @param kind           the kind, {@link Function#profileName()}
     * @param forwardCalls   forward passes
     * @param forwardNanos   their wall time
     * @param backwardCalls  backward passes
     * @param backwardNanos  their wall time
     * @param forwardMacs    multiply-adds of the forward passes (0 if the operation does not implement
     *                       {@link Complexity})
     */
    public record Operation(String kind, long forwardCalls, long forwardNanos, long backwardCalls,
                            long backwardNanos, long forwardMacs) {
        /** Forward and backward time. */
        public long nanos() {
            return forwardNanos + backwardNanos;
        }
    }

    private final List<LayerCall> layerCalls = new ArrayList<>();
    private final Map<String, long[]> operations = new LinkedHashMap<>();

    private Ledger() {
    }

    /**
     * Opens a ledger on this thread; it records until {@link #close}, and what it recorded stays readable
     * afterwards.
     *
     * @throws IllegalStateException if a ledger is already open on this thread
     */
    public static Ledger open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("Ledger.open: a ledger is already open on this thread; ledgers do not "
                    + "nest, so close it first");
        }
        Ledger ledger = new Ledger();
        OPEN.set(ledger);
        return ledger;
    }

    /** Stops recording. */
    @Override
    public void close() {
        if (OPEN.get() == this) {
            OPEN.remove();
        }
    }

    /**
     * Records a call of {@code layer} from {@code input} to {@code output} when a ledger is open on this
     * thread; returns {@code output} either way.
     */
    public static Variable record(Object layer, Variable input, Variable output) {
        Ledger ledger = OPEN.get();
        if (ledger != null) {
            ledger.layerCalls.add(new LayerCall(layer, input.shape(), output.shape()));
        }
        return output;
    }

    /** The ledger open on this thread, or null. */
    static Ledger current() {
        return OPEN.get();
    }

    void addForward(Function f, Tensor[] inputs, Tensor result, long nanos) {
        long[] t = operations.computeIfAbsent(f.profileName(), k -> new long[5]);
        t[0]++;
        t[1] += nanos;
        if (f instanceof Complexity c) {
            t[4] += c.cost(inputs[0].shape(), result.shape()).macs();
        }
    }

    void addBackward(Function f, long nanos) {
        long[] t = operations.computeIfAbsent(f.profileName(), k -> new long[5]);
        t[2]++;
        t[3] += nanos;
    }

    /** The calls of recording layers, in the order they ran. */
    public List<LayerCall> layerCalls() {
        return List.copyOf(layerCalls);
    }

    /** Every kind of operation seen, the most time first. */
    public List<Operation> operations() {
        List<Operation> entries = new ArrayList<>();
        operations.forEach((kind, t) -> entries.add(new Operation(kind, t[0], t[1], t[2], t[3], t[4])));
        entries.sort(Comparator.comparingLong(Operation::nanos).reversed().thenComparing(Operation::kind));
        return entries;
    }

    /** The time of all operations, forward and backward. */
    public long operationNanos() {
        return operations().stream().mapToLong(Operation::nanos).sum();
    }
}
