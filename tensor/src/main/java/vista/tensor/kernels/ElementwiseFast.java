package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 elementwise kernels: the same functions as {@link ElementwiseReference}, computed in
 * float with the Vector API ({@link Vectors#FLOAT} lanes; the last partial vector of a run goes through
 * a one-vector buffer) and in parallel.
 *
 * <p><b>Layout.</b> Every operand that is not contiguous is first copied to row-major order, after
 * shrinking its broadcast (stride 0) axes to size 1, so the copy holds each distinct value once (an
 * operand is usually much smaller than the output, e.g. a bias). The operands are then broadcast to the output
 * shape (stride 0 on repeated axes) and adjacent axes are merged wherever every operand allows it, so
 * the innermost merged axis is, for each operand, either a contiguous run (stride 1) or one repeated
 * value (stride 0): {@code [N,C,H,W] + [1,C,1,1]} becomes runs of H*W against a scalar per run,
 * {@code [N,D] + [D]} runs of D against runs of D, same-shape operands one run of N*C*H*W.
 *
 * <p><b>Tiles.</b> The output is cut into tiles of {@value #TILE} consecutive elements (a number fixed
 * from the shape, never from the thread count); each tile writes its own part of the output. Every
 * element is computed independently, so results do not depend on the thread count or vector width.
 *
 * <p><b>Precision.</b> ADD, SUB, MUL, DIV, SQRT, NEG, ABS, RELU, MAXIMUM, MINIMUM, the comparisons and
 * {@code where} are correctly rounded in float, hence bit-identical to the reference (which rounds the
 * exact double result once). EXP uses {@link FastExp} (below 1 ulp); SIGMOID and TANH are built from it
 * (see {@link #sigmoid} and {@link #tanh}); over every 256th float bit pattern their largest errors
 * were 2.27 ulp (sigmoid, for x < 0) and 1.49 ulp (tanh). LOG and POW are not vectorised: each element
 * calls {@code StrictMath} in double and rounds to float (identical to the reference), still in
 * parallel tiles; a vector logarithm is not worth its code for how rarely they run.
 */
final class ElementwiseFast {
    /** Output elements per tile. */
    static final int TILE = 1 << 14;
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    /** Below this |x|, tanh uses its Taylor series instead of exponentials (tanh(0.55) is about 0.5). */
    private static final float TANH_SERIES_LIMIT = 0.55f;
    private static final float T3 = (float) (-1.0 / 3);
    private static final float T5 = (float) (2.0 / 15);
    private static final float T7 = (float) (-17.0 / 315);
    private static final float T9 = (float) (62.0 / 2835);
    private static final float T11 = (float) (-1382.0 / 155925);
    private static final float T13 = (float) (21844.0 / 6081075);
    private static final float T15 = (float) (-929569.0 / 638512875);
    private static final float T17 = (float) (6404582.0 / 10854718875.0);

    private ElementwiseFast() {
    }

    /** {@link ElementwiseKernels#unary} for float32. */
    static Tensor unary(UnaryOp op, Tensor x) {
        Tensor in = x.contiguous();
        float[] src = in.floats();
        int base = in.offset();
        Tensor out = Tensor.unfilled(DType.FLOAT32, x.shape());
        float[] dst = out.floats();
        int n = out.numel();
        Tiles.forEach(Tiles.count(n, TILE), t -> {
            int from = t * TILE;
            float[][] pads = {new float[LANES], new float[LANES]};
            unaryRun(op, src, base + from, dst, from, Math.min(TILE, n - from), pads);
        });
        return out;
    }

    /** {@link ElementwiseKernels#binary} for float32 operands. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Shape shape = ElementwiseKernels.broadcastShape(op, a, b);
        Tensor out = Tensor.unfilled(DType.FLOAT32, shape);
        Layout layout = Layout.of(shape, dense(a), dense(b));
        float[] fa = layout.operands[0].floats();
        float[] fb = layout.operands[1].floats();
        float[] dst = out.floats();
        forEachRun(layout, out.numel(), (offsets, runs, outAt, length, pads) ->
                binaryRun(op, fa, offsets[0], runs[0], fb, offsets[1], runs[1], dst, outAt, length, pads));
        return out;
    }

    /** {@code where} for a float32 condition and float32 values. */
    static Tensor where(Tensor condition, Tensor ifTrue, Tensor ifFalse) {
        Shape shape = ElementwiseKernels.whereShape(condition, ifTrue, ifFalse);
        Tensor out = Tensor.unfilled(DType.FLOAT32, shape);
        Layout layout = Layout.of(shape, dense(condition), dense(ifTrue), dense(ifFalse));
        float[] fc = layout.operands[0].floats();
        float[] ft = layout.operands[1].floats();
        float[] ff = layout.operands[2].floats();
        float[] dst = out.floats();
        forEachRun(layout, out.numel(), (offsets, runs, outAt, length, pads) ->
                whereRun(fc, offsets[0], runs[0], ft, offsets[1], runs[1], ff, offsets[2], runs[2], dst, outAt, length,
                        pads));
        return out;
    }

    /**
     * The operand's distinct values in row-major order: axes repeated by a broadcast view (stride 0) are
     * shrunk to size 1 first, so that a copy holds each value once and broadcasting repeats it again.
     */
    private static Tensor dense(Tensor operand) {
        int[] dims = operand.dims();
        int[] strides = operand.strides();
        boolean repeats = false;
        for (int a = 0; a < dims.length; a++) {
            if (strides[a] == 0 && dims[a] > 1) {
                dims[a] = 1;
                repeats = true;
            }
        }
        Tensor distinct = repeats ? Tensor.view(operand.storage(), Shape.of(dims), strides, operand.offset()) : operand;
        return distinct.contiguous();
    }

    // ---------------------------------------------------------------- runs: the vector loops
    //
    // Each op has its own small loop over whole vectors, so that the JIT compiles it with that op alone
    // (one shared loop with a switch inside lets profiles of different ops mix, and vectors then get
    // boxed). The last, partial vector of a run goes through the same loop via one-vector buffers.

    private static void unaryRun(UnaryOp op, float[] src, int from, float[] dst, int to, int length, float[][] pads) {
        if (op == UnaryOp.LOG) {
            for (int i = 0; i < length; i++) {
                dst[to + i] = (float) StrictMath.log(src[from + i]);
            }
            return;
        }
        int whole = length - length % LANES;
        unaryVectors(op, src, from, dst, to, whole);
        if (whole < length) {
            float[] in = pads[0];
            float[] out = pads[pads.length - 1];
            System.arraycopy(src, from + whole, in, 0, length - whole);
            unaryVectors(op, in, 0, out, 0, LANES);
            System.arraycopy(out, 0, dst, to + whole, length - whole);
        }
    }

    /** {@code op} over {@code n} elements, n a multiple of the vector length. */
    private static void unaryVectors(UnaryOp op, float[] src, int from, float[] dst, int to, int n) {
        switch (op) {
            case NEG -> neg(src, from, dst, to, n);
            case ABS -> abs(src, from, dst, to, n);
            case RELU -> relu(src, from, dst, to, n);
            case SQRT -> sqrt(src, from, dst, to, n);
            case EXP -> exp(src, from, dst, to, n);
            case SIGMOID -> sigmoid(src, from, dst, to, n);
            case TANH -> tanh(src, from, dst, to, n);
            case LOG -> throw new AssertionError("LOG runs a scalar loop");
        }
    }

    private static void neg(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(S, src, from + i).neg().intoArray(dst, to + i);
        }
    }

    private static void abs(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(S, src, from + i).abs().intoArray(dst, to + i);
        }
    }

    /** {@code x > 0 ? x : 0}, as the reference: -0 and NaN give 0. */
    private static void relu(float[] src, int from, float[] dst, int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            FloatVector x = FloatVector.fromArray(S, src, from + i);
            x.blend(zero, x.compare(VectorOperators.LE, 0f)).intoArray(dst, to + i);
        }
    }

    private static void sqrt(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(S, src, from + i).sqrt().intoArray(dst, to + i);
        }
    }

    private static void exp(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            FastExp.exp(FloatVector.fromArray(S, src, from + i)).intoArray(dst, to + i);
        }
    }

    private static void sigmoid(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            sigmoid(FloatVector.fromArray(S, src, from + i)).intoArray(dst, to + i);
        }
    }

    private static void tanh(float[] src, int from, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            tanh(FloatVector.fromArray(S, src, from + i)).intoArray(dst, to + i);
        }
    }

    /**
     * {@code 1 / (1 + e^-x)} without overflow: with {@code e = e^-|x|} (in (0, 1]),
     * {@code sigmoid(x) = 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} for {@code x < 0}.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = FastExp.exp(x.abs().neg());
        FloatVector numerator = e.broadcast(1f).blend(e, x.compare(VectorOperators.LT, 0f));
        return numerator.div(e.add(1f));
    }

    /**
     * tanh without overflow or cancellation: for {@code |x| < 0.55} the odd Taylor series
     * {@code x - x^3/3 + 2x^5/15 - ... + 6404582 x^17/10854718875} (truncation below 0.1 ulp there); for
     * larger |x|, {@code sign(x) (1 - e) / (1 + e)} with {@code e = e^(-2|x|)} in (0, 1/3], which tends to
     * ±1 without ever forming a large exponential. The series is {@code x + x^3 P(x^2)} in one FMA, and
     * returns x itself at ±0 (keeping the sign of zero).
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.broadcast(T17);
        p = p.fma(x2, x2.broadcast(T15));
        p = p.fma(x2, x2.broadcast(T13));
        p = p.fma(x2, x2.broadcast(T11));
        p = p.fma(x2, x2.broadcast(T9));
        p = p.fma(x2, x2.broadcast(T7));
        p = p.fma(x2, x2.broadcast(T5));
        p = p.fma(x2, x2.broadcast(T3));
        FloatVector series = x.mul(x2).fma(p, x).blend(x, x.compare(VectorOperators.EQ, 0f));
        FloatVector abs = x.abs();
        FloatVector e = FastExp.exp(abs.mul(-2f));
        FloatVector magnitude = e.broadcast(1f).sub(e).div(e.add(1f));
        FloatVector large = magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(series, abs.compare(VectorOperators.LT, TANH_SERIES_LIMIT));
    }

    private static void binaryRun(BinaryOp op, float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun,
                                  float[] dst, int to, int length, float[][] pads) {
        if (op == BinaryOp.POW) {
            for (int i = 0; i < length; i++) {
                dst[to + i] = (float) StrictMath.pow(a[aRun ? ia + i : ia], b[bRun ? ib + i : ib]);
            }
            return;
        }
        int whole = length - length % LANES;
        binaryVectors(op, a, ia, aRun, b, ib, bRun, dst, to, whole);
        if (whole < length) {
            int rest = length - whole;
            float[] out = pads[pads.length - 1];
            if (aRun) {
                System.arraycopy(a, ia + whole, pads[0], 0, rest);
            }
            if (bRun) {
                System.arraycopy(b, ib + whole, pads[1], 0, rest);
            }
            binaryVectors(op, aRun ? pads[0] : a, aRun ? 0 : ia, aRun, bRun ? pads[1] : b, bRun ? 0 : ib, bRun,
                    out, 0, LANES);
            System.arraycopy(out, 0, dst, to + whole, rest);
        }
    }

    /** {@code op} over {@code n} elements (a multiple of the vector length); see {@link #load}. */
    private static void binaryVectors(BinaryOp op, float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun,
                                      float[] dst, int to, int n) {
        switch (op) {
            case ADD -> add(a, ia, aRun, b, ib, bRun, dst, to, n);
            case SUB -> sub(a, ia, aRun, b, ib, bRun, dst, to, n);
            case MUL -> mul(a, ia, aRun, b, ib, bRun, dst, to, n);
            case DIV -> div(a, ia, aRun, b, ib, bRun, dst, to, n);
            case MAXIMUM -> maximum(a, ia, aRun, b, ib, bRun, dst, to, n);
            case MINIMUM -> minimum(a, ia, aRun, b, ib, bRun, dst, to, n);
            case EQ -> eq(a, ia, aRun, b, ib, bRun, dst, to, n);
            case NE -> ne(a, ia, aRun, b, ib, bRun, dst, to, n);
            case LT -> lt(a, ia, aRun, b, ib, bRun, dst, to, n);
            case LE -> le(a, ia, aRun, b, ib, bRun, dst, to, n);
            case GT -> gt(a, ia, aRun, b, ib, bRun, dst, to, n);
            case GE -> ge(a, ia, aRun, b, ib, bRun, dst, to, n);
            case POW -> throw new AssertionError("POW runs a scalar loop");
        }
    }

    /** Elements {@code i .. i + LANES} of a run starting at {@code base}, or its one value repeated. */
    private static FloatVector load(float[] array, int base, boolean run, int i) {
        return run ? FloatVector.fromArray(S, array, base + i) : FloatVector.broadcast(S, array[base]);
    }

    private static void add(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                            int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).add(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    private static void sub(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                            int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).sub(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    private static void mul(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                            int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).mul(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    private static void div(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                            int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).div(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    private static void maximum(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                                int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).max(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    private static void minimum(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                                int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            load(a, ia, aRun, i).min(load(b, ib, bRun, i)).intoArray(dst, to + i);
        }
    }

    // Comparisons: 1 where true, else 0. Each has its own loop: the comparison operator must be a
    // constant in the loop for the JIT to compile it to one vector instruction.

    private static void eq(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.EQ, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void ne(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.NE, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void lt(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.LT, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void le(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.LE, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void gt(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.GT, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void ge(float[] a, int ia, boolean aRun, float[] b, int ib, boolean bRun, float[] dst,
                           int to, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> holds = load(a, ia, aRun, i).compare(VectorOperators.GE, load(b, ib, bRun, i));
            zero.blend(1f, holds).intoArray(dst, to + i);
        }
    }

    private static void whereRun(float[] c, int ic, boolean cRun, float[] t, int it, boolean tRun,
                                 float[] f, int iff, boolean fRun, float[] dst, int to, int length, float[][] pads) {
        int whole = length - length % LANES;
        select(c, ic, cRun, t, it, tRun, f, iff, fRun, dst, to, whole);
        if (whole < length) {
            int rest = length - whole;
            float[] out = pads[pads.length - 1];
            if (cRun) {
                System.arraycopy(c, ic + whole, pads[0], 0, rest);
            }
            if (tRun) {
                System.arraycopy(t, it + whole, pads[1], 0, rest);
            }
            if (fRun) {
                System.arraycopy(f, iff + whole, pads[2], 0, rest);
            }
            select(cRun ? pads[0] : c, cRun ? 0 : ic, cRun, tRun ? pads[1] : t, tRun ? 0 : it, tRun,
                    fRun ? pads[2] : f, fRun ? 0 : iff, fRun, out, 0, LANES);
            System.arraycopy(out, 0, dst, to + whole, rest);
        }
    }

    /** {@code c != 0 ? t : f} over {@code n} elements (a multiple of the vector length). */
    private static void select(float[] c, int ic, boolean cRun, float[] t, int it, boolean tRun,
                               float[] f, int iff, boolean fRun, float[] dst, int to, int n) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector condition = load(c, ic, cRun, i);
            load(f, iff, fRun, i).blend(load(t, it, tRun, i), condition.compare(VectorOperators.NE, 0f))
                    .intoArray(dst, to + i);
        }
    }

    // ---------------------------------------------------------------- layout: merged axes and runs

    /**
     * What a run kernel receives: each operand's start and whether it advances, the output range, and
     * one-vector buffers for the last partial vector (one per operand, then one for the output).
     */
    @FunctionalInterface
    private interface RunKernel {
        void run(int[] offsets, boolean[] runs, int outAt, int length, float[][] pads);
    }

    /**
     * The output's elements in tiles of {@value #TILE}; inside a tile, the longest pieces of innermost
     * merged rows, each handed to {@code kernel} with every operand's storage offset at its start.
     */
    private static void forEachRun(Layout layout, int n, RunKernel kernel) {
        if (n == 0) {
            return;
        }
        int rowLength = layout.rowLength();
        Tiles.forEach(Tiles.count(n, TILE), t -> {
            int from = t * TILE;
            int end = Math.min(n, from + TILE);
            int k = layout.operands.length;
            int[] offsets = new int[k];
            boolean[] runs = new boolean[k];
            float[][] pads = new float[k + 1][LANES];
            for (int j = 0; j < k; j++) {
                runs[j] = layout.innerStride(j) == 1;
            }
            int[] index = layout.rowIndex(from / rowLength);
            int col = from % rowLength;
            for (int at = from; at < end; ) {
                int length = Math.min(rowLength - col, end - at);
                for (int j = 0; j < k; j++) {
                    offsets[j] = layout.offset(j, index) + (runs[j] ? col : 0);
                }
                kernel.run(offsets, runs, at, length, pads);
                at += length;
                col = 0;
                layout.nextRow(index);
            }
        });
    }

    /**
     * The output shape with adjacent axes merged where every operand allows, and each operand's strides
     * (0 on broadcast axes) over it. The last merged axis is the run axis; the others index rows.
     */
    private record Layout(int[] dims, int[][] strides, Tensor[] operands) {
        static Layout of(Shape shape, Tensor... contiguous) {
            int rank = shape.rank();
            int k = contiguous.length;
            int[] outDims = shape.dims();
            int[][] full = new int[k][];
            for (int j = 0; j < k; j++) {
                full[j] = contiguous[j].expand(outDims).strides();
            }
            int[] dims = new int[rank + 1];
            int[][] strides = new int[k][rank + 1];
            int merged = 0;
            for (int a = 0; a < rank; a++) {
                if (outDims[a] == 1) {
                    continue;
                }
                boolean joins = merged > 0;
                for (int j = 0; j < k && joins; j++) {
                    joins = strides[j][merged - 1] == full[j][a] * outDims[a];
                }
                if (joins) {
                    dims[merged - 1] *= outDims[a];
                    for (int j = 0; j < k; j++) {
                        strides[j][merged - 1] = full[j][a];
                    }
                } else {
                    dims[merged] = outDims[a];
                    for (int j = 0; j < k; j++) {
                        strides[j][merged] = full[j][a];
                    }
                    merged++;
                }
            }
            if (merged == 0) {
                dims[0] = 1;
                merged = 1;
            }
            int[] d = Arrays.copyOf(dims, merged);
            int[][] s = new int[k][];
            for (int j = 0; j < k; j++) {
                s[j] = Arrays.copyOf(strides[j], merged);
            }
            return new Layout(d, s, contiguous);
        }

        int rowLength() {
            return dims[dims.length - 1];
        }

        int innerStride(int operand) {
            return strides[operand][dims.length - 1];
        }

        /** The row-axes index of row {@code row} (row-major over all merged axes but the last). */
        int[] rowIndex(int row) {
            int[] index = new int[dims.length - 1];
            for (int a = index.length - 1; a >= 0; a--) {
                index[a] = row % dims[a];
                row /= dims[a];
            }
            return index;
        }

        void nextRow(int[] index) {
            for (int a = index.length - 1; a >= 0; a--) {
                if (++index[a] < dims[a]) {
                    return;
                }
                index[a] = 0;
            }
        }

        int offset(int operand, int[] index) {
            int p = operands[operand].offset();
            for (int a = 0; a < index.length; a++) {
                p += index[a] * strides[operand][a];
            }
            return p;
        }
    }
}
