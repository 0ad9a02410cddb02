package vista.autograd;

import java.util.Arrays;
import vista.autograd.functions.Abs;
import vista.autograd.functions.Add;
import vista.autograd.functions.Concat;
import vista.autograd.functions.Div;
import vista.autograd.functions.Exp;
import vista.autograd.functions.Expand;
import vista.autograd.functions.Log;
import vista.autograd.functions.LogSoftmax;
import vista.autograd.functions.MatMul;
import vista.autograd.functions.Max;
import vista.autograd.functions.Maximum;
import vista.autograd.functions.Mean;
import vista.autograd.functions.Minimum;
import vista.autograd.functions.Mul;
import vista.autograd.functions.Neg;
import vista.autograd.functions.Pad;
import vista.autograd.functions.Permute;
import vista.autograd.functions.Pow;
import vista.autograd.functions.PowConstant;
import vista.autograd.functions.Relu;
import vista.autograd.functions.Reshape;
import vista.autograd.functions.Sigmoid;
import vista.autograd.functions.Slice;
import vista.autograd.functions.Softmax;
import vista.autograd.functions.Sqrt;
import vista.autograd.functions.Squeeze;
import vista.autograd.functions.Sub;
import vista.autograd.functions.Sum;
import vista.autograd.functions.Tanh;
import vista.autograd.functions.Unsqueeze;
import vista.autograd.functions.Variance;
import vista.autograd.functions.Where;
import vista.tensor.BufferPool;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * A tensor that takes part in reverse-mode differentiation: its {@link #data()}, the gradient
 * {@link #grad()} of a loss with respect to it, and the {@link Function} that produced it.
 *
 * <p><b>Leaves and results.</b> A variable made by a constructor is a leaf; give it
 * {@code requiresGrad = true} for parameters and other values to differentiate with respect to. The
 * operations below (which mirror {@link Tensor}'s) return results whose {@link #gradFn()} remembers
 * the operation and its inputs, as long as some input requires grad and recording is on
 * ({@link Autograd#noGrad()} turns it off). That is the graph, built as the program runs.
 *
 * <p><b>Gradients.</b> {@link #backward()} fills {@code grad} of every leaf that requires grad and
 * leads to this variable, adding to what is there (call {@link #zeroGrad()} between steps). Results
 * (non-leaves) do not keep their gradient, to save memory, unless {@link #retainGrad()} was called on
 * them. A leaf's {@code grad} is its own contiguous tensor, safe to modify in place.
 *
 * <p><b>Buffer reuse.</b> Inside {@link BufferPool#use()}, {@link #backward()} gives the arrays of the
 * graph's intermediate results and of its internal gradients back to the pool once no node needs them,
 * and {@link #zeroGrad()} gives back the gradient's array; the next step's tensors reuse them. There,
 * keep no intermediate result (its variable or its tensor) past the backward pass: copy what is needed
 * first. The variable backpropagated from, the leaves and the leaves' gradients are never given back.
 *
 * <p>Do not modify {@code data} in place while a graph that uses it still needs a backward pass: the
 * saved tensors would no longer match the forward pass.
 */
public final class Variable {
    private final Tensor data;
    private final Function gradFn;
    private boolean requiresGrad;
    private boolean retainsGrad;
    private Tensor grad;

    /** A leaf that does not require grad (a constant). */
    public Variable(Tensor data) {
        this(data, false);
    }

    /** A leaf; {@code requiresGrad} asks for its gradient in backward passes. */
    public Variable(Tensor data, boolean requiresGrad) {
        this.data = data;
        this.gradFn = null;
        this.requiresGrad = requiresGrad;
    }

    /** The result of {@code gradFn}, which becomes part of the graph. */
    Variable(Tensor data, Function gradFn) {
        this.data = data;
        this.gradFn = gradFn;
        this.requiresGrad = true;
    }

    // ---------------------------------------------------------------- state

    public Tensor data() {
        return data;
    }

    /** dL/d(this) accumulated by backward passes, or null if none reached it yet. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets whether this leaf requires grad; returns this. Results of operations cannot be changed. */
    public Variable requiresGrad(boolean value) {
        if (!isLeaf()) {
            throw new IllegalStateException("requiresGrad: only leaves can change it; this Variable " + shape()
                    + " is the result of " + gradFn.name() + " (use detach() for a leaf copy)");
        }
        requiresGrad = value;
        return this;
    }

    /** The operation that produced this variable, or null for a leaf or a result computed without a graph. */
    public Function gradFn() {
        return gradFn;
    }

    /** True if no recorded operation produced this variable. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** A new leaf sharing this variable's data, cut off from the graph (no grad required). */
    public Variable detach() {
        return new Variable(data);
    }

    /**
     * Forgets the gradient (sets it to null). Inside {@link BufferPool#use()} its array goes back to the
     * pool, for the next backward pass to fill: do not keep a leaf's gradient tensor past this call there.
     */
    public void zeroGrad() {
        BufferPool pool = BufferPool.current();
        if (pool != null && grad != null) {
            pool.giveBack(grad.storage());
        }
        grad = null;
    }

    /**
     * Asks backward passes to keep this non-leaf's gradient in {@link #grad()} (accumulating like a
     * leaf's); returns this. Leaves always keep theirs.
     */
    public Variable retainGrad() {
        retainsGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainsGrad;
    }

    /** Adds {@code g} to {@link #grad()}, starting from a private copy so that grad never aliases another tensor. */
    void accumulateGrad(Tensor g) {
        grad = grad == null ? g.copy() : grad.add(g);
    }

    public Shape shape() {
        return data.shape();
    }

    public int[] dims() {
        return data.dims();
    }

    public int rank() {
        return data.rank();
    }

    public int numel() {
        return data.numel();
    }

    public DType dtype() {
        return data.dtype();
    }

    /** The single element of a one-element variable. */
    public double item() {
        return data.item();
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this one-element variable (dL/dL = 1) and frees the graph. */
    public void backward() {
        backward(false);
    }

    /** Backpropagates from this one-element variable; {@code retainGraph} keeps the graph for another pass. */
    public void backward(boolean retainGraph) {
        if (numel() != 1) {
            throw new IllegalStateException("backward(): the variable has shape " + shape() + " ("
                    + numel() + " elements); an implicit gradient needs exactly one element, so pass the "
                    + "upstream gradient with backward(grad)");
        }
        backward(Tensor.full(dtype(), 1, shape()), retainGraph);
    }

    /** Backpropagates {@code upstreamGrad} = dL/d(this), which must have this variable's shape; frees the graph. */
    public void backward(Tensor upstreamGrad) {
        backward(upstreamGrad, false);
    }

    /** Backpropagates {@code upstreamGrad} = dL/d(this); {@code retainGraph} keeps the graph for another pass. */
    public void backward(Tensor upstreamGrad, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this Variable " + shape() + " does not require grad: "
                    + "none of the inputs of its computation had requiresGrad(true), or it was computed "
                    + "inside Autograd.noGrad()");
        }
        if (!upstreamGrad.shape().equals(shape()) || upstreamGrad.dtype() != dtype()) {
            throw new IllegalArgumentException("backward: upstream gradient " + upstreamGrad.dtype() + " "
                    + upstreamGrad.shape() + " does not match the variable's " + dtype() + " " + shape());
        }
        Backward.run(this, upstreamGrad, retainGraph);
    }

    // ---------------------------------------------------------------- elementwise

    public Variable add(Variable other) {
        return new Add().apply(this, other);
    }

    public Variable sub(Variable other) {
        return new Sub().apply(this, other);
    }

    public Variable mul(Variable other) {
        return new Mul().apply(this, other);
    }

    public Variable div(Variable other) {
        return new Div().apply(this, other);
    }

    /** {@code this ^ exponent}, elementwise; the exponent's gradient needs {@code this > 0}. */
    public Variable pow(Variable exponent) {
        return new Pow().apply(this, exponent);
    }

    public Variable add(double value) {
        return add(constant(value));
    }

    public Variable sub(double value) {
        return sub(constant(value));
    }

    public Variable mul(double value) {
        return mul(constant(value));
    }

    public Variable div(double value) {
        return div(constant(value));
    }

    /** {@code this ^ exponent} for a constant exponent. */
    public Variable pow(double exponent) {
        return new PowConstant(exponent).apply(this);
    }

    /** The larger of the two, elementwise; where they are equal each gets half the gradient. */
    public Variable maximum(Variable other) {
        return new Maximum().apply(this, other);
    }

    /** The smaller of the two, elementwise; where they are equal each gets half the gradient. */
    public Variable minimum(Variable other) {
        return new Minimum().apply(this, other);
    }

    /** {@code ifTrue} where {@code condition != 0}, else {@code ifFalse}; the condition is not differentiated. */
    public static Variable where(Tensor condition, Variable ifTrue, Variable ifFalse) {
        return new Where(condition).apply(ifTrue, ifFalse);
    }

    public Variable neg() {
        return new Neg().apply(this);
    }

    public Variable exp() {
        return new Exp().apply(this);
    }

    public Variable log() {
        return new Log().apply(this);
    }

    public Variable sqrt() {
        return new Sqrt().apply(this);
    }

    public Variable abs() {
        return new Abs().apply(this);
    }

    public Variable relu() {
        return new Relu().apply(this);
    }

    public Variable sigmoid() {
        return new Sigmoid().apply(this);
    }

    public Variable tanh() {
        return new Tanh().apply(this);
    }

    private Variable constant(double value) {
        return new Variable(Tensor.scalar(dtype(), value));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, as a rank-0 variable. */
    public Variable sum() {
        return sum(allAxes(), false);
    }

    /** Sum over {@code axes}; {@code keepdim} keeps them as size-1 axes. */
    public Variable sum(int[] axes, boolean keepdim) {
        return new Sum(axes, keepdim).apply(this);
    }

    public Variable mean() {
        return mean(allAxes(), false);
    }

    public Variable mean(int[] axes, boolean keepdim) {
        return new Mean(axes, keepdim).apply(this);
    }

    /** Largest element. */
    public Variable max() {
        return max(allAxes(), false);
    }

    /** Largest element over {@code axes}; tied maxima share the gradient equally. */
    public Variable max(int[] axes, boolean keepdim) {
        return new Max(axes, keepdim).apply(this);
    }

    /** sum((x - mean)^2) / (n - correction) over {@code axes}. */
    public Variable var(int[] axes, boolean keepdim, int correction) {
        return new Variance(axes, keepdim, correction).apply(this);
    }

    public Variable softmax(int axis) {
        return new Softmax(axis).apply(this);
    }

    public Variable logSoftmax(int axis) {
        return new LogSoftmax(axis).apply(this);
    }

    private int[] allAxes() {
        int[] axes = new int[rank()];
        Arrays.setAll(axes, i -> i);
        return axes;
    }

    // ---------------------------------------------------------------- matrices and layout

    /** Matrix product with NumPy's {@code matmul} rules (see {@link Tensor#matmul}). */
    public Variable matmul(Variable other) {
        return new MatMul().apply(this, other);
    }

    /** The same elements with new dimensions (one may be -1). */
    public Variable reshape(int... dims) {
        return new Reshape(dims).apply(this);
    }

    /** Axis {@code i} of the result is axis {@code order[i]} of this variable. */
    public Variable permute(int... order) {
        return new Permute(order).apply(this);
    }

    /** Swaps two axes. */
    public Variable transpose(int axisA, int axisB) {
        int[] order = new int[rank()];
        Arrays.setAll(order, i -> i);
        int a = shape().axis(axisA, "transpose");
        int b = shape().axis(axisB, "transpose");
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements {@code start <= i < end} along {@code axis}. */
    public Variable slice(int axis, int start, int end) {
        return new Slice(axis, start, end).apply(this);
    }

    /** Broadcasts to {@code dims} (NumPy rules). */
    public Variable expand(int... dims) {
        return new Expand(dims).apply(this);
    }

    /** Inserts a size-1 axis at {@code axis} (in the result's numbering). */
    public Variable unsqueeze(int axis) {
        return new Unsqueeze(axis).apply(this);
    }

    /** Removes the size-1 axis {@code axis}. */
    public Variable squeeze(int axis) {
        return new Squeeze(axis).apply(this);
    }

    /** Joins variables of equal shape except along {@code axis}. */
    public static Variable concat(int axis, Variable... variables) {
        return new Concat(axis).apply(variables);
    }

    /** Stacks equal-shaped variables along a new axis {@code axis}: unsqueeze each, then concat. */
    public static Variable stack(int axis, Variable... variables) {
        if (variables.length == 0) {
            throw new IllegalArgumentException("stack: expected at least one variable");
        }
        int a = axis < 0 ? axis + variables[0].rank() + 1 : axis;
        Variable[] unsqueezed = new Variable[variables.length];
        for (int i = 0; i < variables.length; i++) {
            if (!variables[i].shape().equals(variables[0].shape())) {
                throw new IllegalArgumentException("stack: shapes " + variables[0].shape() + " and "
                        + variables[i].shape() + " differ; stack needs equal shapes");
            }
            unsqueezed[i] = variables[i].unsqueeze(a);
        }
        return concat(a, unsqueezed);
    }

    /** Pads axis {@code a} with {@code before[a]} and {@code after[a]} copies of {@code value}. */
    public Variable pad(int[] before, int[] after, double value) {
        return new Pad(before, after, value).apply(this);
    }

    @Override
    public String toString() {
        return "Variable(" + dtype() + " " + shape() + (requiresGrad ? ", requiresGrad" : "")
                + (gradFn != null ? ", gradFn=" + gradFn.name() : "") + ")";
    }
}
