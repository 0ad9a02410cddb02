package vista.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.tensor.Shape;

/**
 * Records which layers a forward pass runs, in order, with the shapes of each call's input and output:
 * the raw material of a model summary (output shapes, parameters, {@link Complexity costs}).
 *
 * <pre>{@code
 * ForwardTrace trace = ForwardTrace.run(model, new Variable(Tensor.zeros(1, 3, 224, 224)));
 * for (ForwardTrace.Call call : trace.calls()) { ... call.module(), call.input(), call.output() ... }
 * }</pre>
 *
 * <p><b>How layers take part.</b> A layer's {@code forward} ends with
 * {@code return ForwardTrace.record(this, input, output);}. Outside {@link #run} that is a single
 * thread-local read and returns {@code output} unchanged, so it costs nothing measurable and never
 * changes a result. Inside {@link #run} it appends a {@link Call}. Vista's layers (Conv2d, Linear,
 * BatchNorm2d, the pools, ReLU, Flatten, LocalSelfAttention2d) record themselves; a new layer does the
 * same and implements {@link Complexity} to report its cost. Only the layers that do the work should
 * record: a block made of recording layers must not record itself as well, or its children's work would
 * be counted twice. (LocalSelfAttention2d holds its projections as Conv2d children for their names but
 * applies their weights as functions, so it records once, with the projections in its cost.)
 * Operations a block applies as functions rather than through a layer (for example
 * {@code x.relu()} or a residual {@code y.add(x)}) are not seen.
 *
 * <p>The design keeps {@link Module} unchanged: there are no hooks to register and no wrapper around
 * {@code forward}; the recorder lives on the calling thread for the duration of {@link #run}, which is
 * where module code runs (kernels may use other threads, but layers call {@code record} on the caller's).
 */
public final class ForwardTrace {
    private static final ThreadLocal<List<Call>> ACTIVE = new ThreadLocal<>();

    /**
     * One call of a recording layer.
     *
     * @param module the layer
     * @param input  the shape of its input
     * @param output the shape of its output
     */
    public record Call(Module module, Shape input, Shape output) {
    }

    private final List<Call> calls;
    private final Variable output;

    private ForwardTrace(List<Call> calls, Variable output) {
        this.calls = Collections.unmodifiableList(calls);
        this.output = output;
    }

    /**
     * Runs {@code model.forward(input)} without gradient recording and returns the calls of recording
     * layers it made, in call order. The model's mode is left as it is: call {@link Module#eval()}
     * first for evaluation-mode costs and to leave BatchNorm's running statistics untouched. Traces
     * nest (an inner {@code run} records only its own calls).
     */
    public static ForwardTrace run(Module model, Variable input) {
        List<Call> outer = ACTIVE.get();
        List<Call> calls = new ArrayList<>();
        ACTIVE.set(calls);
        try (var scope = Autograd.noGrad()) {
            Variable output = model.forward(input);
            return new ForwardTrace(calls, output);
        } finally {
            if (outer == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(outer);
            }
        }
    }

    /**
     * Records a call of {@code layer} from {@code input} to {@code output} when a trace is running on
     * this thread; returns {@code output} either way.
     */
    public static Variable record(Module layer, Variable input, Variable output) {
        List<Call> calls = ACTIVE.get();
        if (calls != null) {
            calls.add(new Call(layer, input.shape(), output.shape()));
        }
        return output;
    }

    /** The recorded calls, in the order the layers ran. */
    public List<Call> calls() {
        return calls;
    }

    /** The model's output. */
    public Variable output() {
        return output;
    }
}
