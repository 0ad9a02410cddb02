package vista.models.app.parity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.autograd.Variable;
import vista.models.app.parity.ParityCase.TensorEntry;

/**
 * The inputs of a case in call order, read from their files: float32 inputs as fresh leaves that require
 * a gradient (they are all differentiated, FORMAT.md section 2), int32 inputs (class targets) as arrays.
 */
public final class CaseInputs {
    private final ParityCase parityCase;
    private final List<TensorEntry> entries = new ArrayList<>();
    private final Map<String, Variable> floats = new LinkedHashMap<>();
    private final Map<String, int[]> ints = new LinkedHashMap<>();

    /** Reads every input of {@code parityCase}. */
    public CaseInputs(ParityCase parityCase) {
        this.parityCase = parityCase;
        for (String name : parityCase.inputs()) {
            TensorEntry e = parityCase.tensor(name);
            entries.add(e);
            if (e.int32()) {
                ints.put(name, parityCase.ints(e));
            } else {
                floats.put(name, new Variable(parityCase.floats(e), true));
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** The float input at {@code position} (0 = first in {@code inputs}). */
    public Variable floats(int position) {
        TensorEntry e = entry(position);
        if (e.int32()) {
            throw new ParityException(parityCase.caseFile() + ": input " + (position + 1) + " ('" + e.name()
                    + "') of " + parityCase.op() + " must be float32, but it is int32");
        }
        return floats.get(e.name());
    }

    /** The int32 input at {@code position} (class targets). */
    public int[] ints(int position) {
        TensorEntry e = entry(position);
        if (!e.int32()) {
            throw new ParityException(parityCase.caseFile() + ": input " + (position + 1) + " ('" + e.name()
                    + "') of " + parityCase.op() + " must be int32 class targets, but it is float32");
        }
        return ints.get(e.name()).clone();
    }

    /** The float inputs by name: the inputs whose gradients are compared. */
    public Map<String, Variable> differentiable() {
        return Collections.unmodifiableMap(floats);
    }

    private TensorEntry entry(int position) {
        if (position >= entries.size()) {
            throw new ParityException(parityCase.caseFile() + ": " + parityCase.op() + " needs at least "
                    + (position + 1) + " inputs, but inputs lists " + entries.size());
        }
        return entries.get(position);
    }
}
