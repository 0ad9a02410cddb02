package vista.tensor;

import java.util.Arrays;
import vista.tensor.kernels.BinaryOp;
import vista.tensor.kernels.ElementwiseKernels;
import vista.tensor.kernels.MatMulKernels;
import vista.tensor.kernels.Movement;
import vista.tensor.kernels.ReductionsKernels;
import vista.tensor.kernels.SoftmaxKernels;
import vista.tensor.kernels.UnaryOp;

/**
 * An n-dimensional array of float32 (or, for gradient checking, float64) numbers.
 *
 * <p>A tensor is a view: a {@link Storage}, a {@link Shape}, one stride per axis and an offset. Element
 * {@code (i0, ..., ik)} lives at {@code offset + sum(i_a * stride_a)}. A freshly made tensor is
 * contiguous (row-major strides); {@link #permute}, {@link #transpose}, {@link #slice} and
 * {@link #expand} return views of the same storage without copying, and {@link #contiguous()} copies
 * when a kernel needs row-major data.
 *
 * <p>Operations never modify their operands; they return new tensors. Errors name the operation and
 * the shapes involved.
 */
public final class Tensor {
    private final Storage storage;
    private final Shape shape;
    private final int[] strides;
    private final int offset;

    private Tensor(Storage storage, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A contiguous tensor over {@code storage}, which must hold exactly {@code shape.numel()} elements. */
    public static Tensor of(Storage storage, Shape shape) {
        if (storage.length() != shape.numel()) {
            throw new IllegalArgumentException("Tensor.of: storage holds " + storage.length()
                    + " elements but shape " + shape + " needs " + shape.numel());
        }
        return new Tensor(storage, shape, shape.contiguousStrides(), 0);
    }

    /** A view of {@code storage} with explicit strides and offset (kernels and views use this). */
    public static Tensor view(Storage storage, Shape shape, int[] strides, int offset) {
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("Tensor.view: " + strides.length + " strides for shape " + shape);
        }
        return new Tensor(storage, shape, strides.clone(), offset);
    }

    // ---------------------------------------------------------------- creation

    /** A new zero-filled tensor. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return of(Storage.allocate(dtype, shape.numel()), shape);
    }

    /**
     * A new contiguous tensor whose elements are unspecified until written: zeros, or an earlier step's
     * values when the thread's {@link BufferPool} reuses an array. For kernels that write every element of
     * their result before anyone reads it, so that a reused array is not zero-filled only to be
     * overwritten; anything else uses {@link #zeros}.
     */
    public static Tensor unfilled(DType dtype, Shape shape) {
        return of(Storage.allocateUnfilled(dtype, shape.numel()), shape);
    }

    public static Tensor zeros(int... dims) {
        return zeros(DType.FLOAT32, Shape.of(dims));
    }

    public static Tensor ones(int... dims) {
        return full(1, dims);
    }

    public static Tensor full(double value, int... dims) {
        return full(DType.FLOAT32, value, Shape.of(dims));
    }

    public static Tensor full(DType dtype, double value, Shape shape) {
        Tensor t = zeros(dtype, shape);
        t.fill(value);
        return t;
    }

    /** A rank-0 tensor holding {@code value}. */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value, Shape.scalar());
    }

    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value, Shape.scalar());
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** {@code start, start + step, ...} while below {@code end} (above it for a negative step). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        Tensor t = zeros(DType.FLOAT32, Shape.of(n));
        for (int i = 0; i < n; i++) {
            t.storage.set(i, start + i * step);
        }
        return t;
    }

    /** A float32 tensor of the given shape holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(float[] data, int... dims) {
        Shape shape = Shape.of(dims);
        checkLength("fromArray", data.length, shape);
        return of(new Storage.Floats(data.clone()), shape);
    }

    /** A float64 tensor of the given shape holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(double[] data, int... dims) {
        Shape shape = Shape.of(dims);
        checkLength("fromArray", data.length, shape);
        return of(new Storage.Doubles(data.clone()), shape);
    }

    /** Standard normal samples from {@code rng}, in row-major order. */
    public static Tensor randn(Rng rng, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.numel(); i++) {
            t.storage.set(i, rng.nextGaussian());
        }
        return t;
    }

    /** Uniform samples on {@code [low, high)} from {@code rng}, in row-major order. */
    public static Tensor uniform(Rng rng, double low, double high, int... dims) {
        if (!(low < high)) {
            throw new IllegalArgumentException("uniform: expected low < high, got " + low + " and " + high);
        }
        Tensor t = zeros(dims);
        for (int i = 0; i < t.numel(); i++) {
            t.storage.set(i, low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    private static void checkLength(String op, int length, Shape shape) {
        if (length != shape.numel()) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + shape
                    + " (" + shape.numel() + " elements)");
        }
    }

    // ---------------------------------------------------------------- accessors

    public DType dtype() {
        return storage.dtype();
    }

    public Shape shape() {
        return shape;
    }

    public int[] dims() {
        return shape.dims();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public int numel() {
        return shape.numel();
    }

    public Storage storage() {
        return storage;
    }

    /** Strides in elements, one per axis (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    public int stride(int axis) {
        return strides[shape.axis(axis, "stride")];
    }

    /** Position of element {@code (0, ..., 0)} in the storage. */
    public int offset() {
        return offset;
    }

    /** True if the elements are row-major and dense in the storage from {@link #offset()} on. */
    public boolean isContiguous() {
        int expected = 1;
        for (int a = rank() - 1; a >= 0; a--) {
            if (shape.dim(a) != 1 && strides[a] != expected) {
                return false;
            }
            expected *= shape.dim(a);
        }
        return true;
    }

    /** The backing float array of a float32 tensor (elements start at {@link #offset()}). */
    public float[] floats() {
        if (storage instanceof Storage.Floats f) {
            return f.array();
        }
        throw new IllegalStateException("floats(): tensor " + shape + " is " + dtype() + ", not FLOAT32");
    }

    /** The element at {@code index} (one index per axis), as a double. */
    public double get(int... index) {
        return storage.get(storageIndex("get", index));
    }

    /** The single element of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item(): tensor of shape " + shape + " has " + numel()
                    + " elements; expected exactly one");
        }
        return storage.get(offset);
    }

    /** Writes {@code value} at {@code index}. Writes through views into the shared storage. */
    public void set(double value, int... index) {
        storage.set(storageIndex("set", index), value);
    }

    private int storageIndex(String op, int[] index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of shape " + shape);
        }
        int p = offset;
        for (int a = 0; a < index.length; a++) {
            if (index[a] < 0 || index[a] >= shape.dim(a)) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index)
                        + " is outside shape " + shape);
            }
            p += index[a] * strides[a];
        }
        return p;
    }

    /** The elements in row-major order, as floats. */
    public float[] toFloatArray() {
        Tensor c = contiguous().to(DType.FLOAT32);
        return Arrays.copyOfRange(c.floats(), c.offset, c.offset + numel());
    }

    /** The elements in row-major order, as doubles. */
    public double[] toDoubleArray() {
        Tensor c = contiguous();
        double[] out = new double[numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.storage.get(c.offset + i);
        }
        return out;
    }

    /** This tensor in {@code dtype}: itself if it already is, else a converted contiguous copy. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Movement.copy(this, dtype);
    }

    /** A contiguous copy with its own storage. */
    public Tensor copy() {
        return Movement.copy(this, dtype());
    }

    /** Sets every element to {@code value} (writes through views). */
    public void fill(double value) {
        if (isContiguous() && storage instanceof Storage.Floats f) {
            Arrays.fill(f.array(), offset, offset + numel(), (float) value);
            return;
        }
        for (int p : Movement.storageIndices(this)) {
            storage.set(p, value);
        }
    }

    /** Copies {@code source} (same shape, any dtype and layout) into this tensor's elements. */
    public void copyFrom(Tensor source) {
        if (!source.shape.equals(shape)) {
            throw new IllegalArgumentException("copyFrom: source shape " + source.shape
                    + " differs from destination shape " + shape);
        }
        Movement.copyInto(source, this);
    }

    // ---------------------------------------------------------------- views

    /**
     * The same elements with new dimensions (one may be -1: inferred). A view when this tensor is
     * contiguous, else a copy.
     */
    public Tensor reshape(int... dims) {
        Shape target = Shape.of(inferDims(dims));
        if (target.numel() != numel()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + shape + " (" + numel()
                    + " elements) as " + Arrays.toString(dims));
        }
        Tensor c = contiguous();
        return new Tensor(c.storage, target, target.contiguousStrides(), c.offset);
    }

    private int[] inferDims(int[] dims) {
        int[] out = dims.clone();
        int unknown = -1;
        int known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + Arrays.toString(dims));
                }
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape: dimensions must be >= 0 or -1, got " + Arrays.toString(dims));
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view shape " + shape + " as " + Arrays.toString(dims));
            }
            out[unknown] = numel() / known;
        }
        return out;
    }

    /** Reorders the axes: axis {@code i} of the result is axis {@code order[i]} of this tensor. A view. */
    public Tensor permute(int... order) {
        if (order.length != rank()) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order)
                    + " must name each of the " + rank() + " axes of shape " + shape + " once");
        }
        boolean[] seen = new boolean[rank()];
        int[] dims = new int[rank()];
        int[] st = new int[rank()];
        for (int i = 0; i < order.length; i++) {
            int a = shape.axis(order[i], "permute");
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + a + " appears twice in " + Arrays.toString(order));
            }
            seen[a] = true;
            dims[i] = shape.dim(a);
            st[i] = strides[a];
        }
        return new Tensor(storage, Shape.of(dims), st, offset);
    }

    /** Swaps two axes. A view. */
    public Tensor transpose(int axisA, int axisB) {
        int a = shape.axis(axisA, "transpose");
        int b = shape.axis(axisB, "transpose");
        int[] order = new int[rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements {@code start <= i < end} along {@code axis}. A view. */
    public Tensor slice(int axis, int start, int end) {
        int a = shape.axis(axis, "slice");
        int n = shape.dim(a);
        if (start < 0 || end > n || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is not within axis " + a
                    + " of size " + n + " (shape " + shape + ")");
        }
        int[] dims = shape.dims();
        dims[a] = end - start;
        return new Tensor(storage, Shape.of(dims), strides, offset + start * strides[a]);
    }

    /**
     * Broadcasts to {@code dims} without copying (NumPy rules: size-1 axes repeat with stride 0, leading
     * axes may be added). A view; do not write to it.
     */
    public Tensor expand(int... dims) {
        Shape target = Shape.of(dims);
        if (!Shape.broadcast("expand", shape, target).equals(target)) {
            throw new IllegalArgumentException("expand: shape " + shape + " cannot be expanded to " + target);
        }
        int lead = target.rank() - rank();
        int[] st = new int[target.rank()];
        for (int a = 0; a < rank(); a++) {
            st[lead + a] = shape.dim(a) == target.dim(lead + a) ? strides[a] : 0;
        }
        return new Tensor(storage, target, st, offset);
    }

    /** Inserts an axis of size 1 at {@code axis} (in the result's numbering). A view. */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + rank() + 1 : axis;
        if (a < 0 || a > rank()) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape " + shape);
        }
        int[] dims = new int[rank() + 1];
        int[] st = new int[rank() + 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i == a) {
                dims[i] = 1;
                st[i] = 0;
            } else {
                dims[i] = shape.dim(j);
                st[i] = strides[j++];
            }
        }
        return new Tensor(storage, Shape.of(dims), st, offset);
    }

    /** Removes axis {@code axis}, which must have size 1. A view. */
    public Tensor squeeze(int axis) {
        int a = shape.axis(axis, "squeeze");
        if (shape.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + a + " of shape " + shape + " has size "
                    + shape.dim(a) + ", expected 1");
        }
        int[] dims = new int[rank() - 1];
        int[] st = new int[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (i != a) {
                dims[j] = shape.dim(i);
                st[j++] = strides[i];
            }
        }
        return new Tensor(storage, Shape.of(dims), st, offset);
    }

    /** This tensor if it is already contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.ADD, this, other);
    }

    public Tensor sub(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.SUB, this, other);
    }

    public Tensor mul(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.MUL, this, other);
    }

    public Tensor div(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.DIV, this, other);
    }

    /** {@code this ^ exponent}, elementwise. */
    public Tensor pow(Tensor exponent) {
        return ElementwiseKernels.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor add(double value) {
        return add(scalar(dtype(), value));
    }

    public Tensor sub(double value) {
        return sub(scalar(dtype(), value));
    }

    public Tensor mul(double value) {
        return mul(scalar(dtype(), value));
    }

    public Tensor div(double value) {
        return div(scalar(dtype(), value));
    }

    public Tensor pow(double exponent) {
        return pow(scalar(dtype(), exponent));
    }

    public Tensor maximum(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.MINIMUM, this, other);
    }

    /** 1 where {@code this == other}, else 0. */
    public Tensor eq(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.EQ, this, other);
    }

    public Tensor ne(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.LT, this, other);
    }

    public Tensor le(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.GT, this, other);
    }

    public Tensor ge(Tensor other) {
        return ElementwiseKernels.binary(BinaryOp.GE, this, other);
    }

    /** {@code ifTrue} where {@code condition != 0}, else {@code ifFalse} (all three broadcast). */
    public static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        return ElementwiseKernels.where(condition, ifTrue, ifFalse);
    }

    public Tensor neg() {
        return ElementwiseKernels.unary(UnaryOp.NEG, this);
    }

    public Tensor exp() {
        return ElementwiseKernels.unary(UnaryOp.EXP, this);
    }

    public Tensor log() {
        return ElementwiseKernels.unary(UnaryOp.LOG, this);
    }

    public Tensor sqrt() {
        return ElementwiseKernels.unary(UnaryOp.SQRT, this);
    }

    public Tensor abs() {
        return ElementwiseKernels.unary(UnaryOp.ABS, this);
    }

    public Tensor relu() {
        return ElementwiseKernels.unary(UnaryOp.RELU, this);
    }

    public Tensor sigmoid() {
        return ElementwiseKernels.unary(UnaryOp.SIGMOID, this);
    }

    public Tensor tanh() {
        return ElementwiseKernels.unary(UnaryOp.TANH, this);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements, as a scalar tensor. */
    public Tensor sum() {
        return ReductionsKernels.sum(this, allAxes(), false);
    }

    /** Sum over {@code axes}; {@code keepdim} keeps them as size-1 axes. */
    public Tensor sum(int[] axes, boolean keepdim) {
        return ReductionsKernels.sum(this, axes, keepdim);
    }

    public Tensor mean() {
        return ReductionsKernels.mean(this, allAxes(), false);
    }

    public Tensor mean(int[] axes, boolean keepdim) {
        return ReductionsKernels.mean(this, axes, keepdim);
    }

    public Tensor max(int[] axes, boolean keepdim) {
        return ReductionsKernels.max(this, axes, keepdim);
    }

    /** Index of the largest element along {@code axis} (the first one on ties), as float values. */
    public Tensor argmax(int axis, boolean keepdim) {
        return ReductionsKernels.argmax(this, axis, keepdim);
    }

    /**
     * Variance over {@code axes}: sum((x - mean)^2) / (n - correction); correction 1 is the unbiased
     * estimate, 0 the population variance.
     */
    public Tensor var(int[] axes, boolean keepdim, int correction) {
        return ReductionsKernels.var(this, axes, keepdim, correction);
    }

    /** exp(x_i - max) / sum_j exp(x_j - max) along {@code axis}. */
    public Tensor softmax(int axis) {
        return SoftmaxKernels.softmax(this, axis);
    }

    /** x_i - max - log(sum_j exp(x_j - max)) along {@code axis}. */
    public Tensor logSoftmax(int axis) {
        return SoftmaxKernels.logSoftmax(this, axis);
    }

    private int[] allAxes() {
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    // ---------------------------------------------------------------- matrices and layout

    /**
     * Matrix product with NumPy's {@code matmul} rules: 2-D x 2-D is (m, k) x (k, n) -> (m, n); higher
     * ranks are batches of matrices whose leading (batch) axes broadcast; a 1-D operand is a vector.
     */
    public Tensor matmul(Tensor other) {
        return MatMulKernels.matmul(this, other);
    }

    /** Joins tensors of equal shape except along {@code axis}. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return Movement.concat(axis, tensors);
    }

    /** Stacks tensors of equal shape along a new axis {@code axis}. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return Movement.stack(axis, tensors);
    }

    /**
     * Pads with {@code value}: axis {@code a} gets {@code before[a]} elements in front and
     * {@code after[a]} behind.
     */
    public Tensor pad(int[] before, int[] after, double value) {
        return Movement.pad(this, before, after, value);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype()).append(' ').append(shape);
        if (numel() <= 16) {
            sb.append(' ').append(Arrays.toString(toDoubleArray()));
        }
        return sb.append(')').toString();
    }
}
