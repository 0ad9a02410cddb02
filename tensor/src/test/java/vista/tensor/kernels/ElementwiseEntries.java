package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.tensor.kernels.OpCatalogue.ELEMENTWISE_BINARY;
import static vista.tensor.kernels.OpCatalogue.ELEMENTWISE_UNARY;
import static vista.tensor.kernels.OpCatalogue.WHERE;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpCatalogue.Operand;

/** The {@link OpCatalogue}'s entries for elementwise ops. */
final class ElementwiseEntries {
    private ElementwiseEntries() {
    }

    /** Ops whose fast kernel is correctly rounded in float, so it must match the reference bit for bit. */
    static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.SQRT,
            UnaryOp.LOG);
    /** Largest error, in float ulps of the exact value, allowed for the fast EXP, SIGMOID and TANH. */
    static final double EXP_ULPS = 1.0;
    static final double SIGMOID_ULPS = 2.5;
    static final double TANH_ULPS = 2.0;

    /** A function of one operand. */
    record Unary(UnaryOp op, Operand x) {
    }

    /** A function of two operands. */
    record Binary(BinaryOp op, Operand a, Operand b) {
    }

    /** Operands of where: the condition, then the values where it holds and where it does not. */
    record Where(Operand condition, Operand ifTrue, Operand ifFalse) {
    }

    /** Every unary op, 3 z on awkward shapes (rank 0 to 4, sizes 1, 3, 7, 17, 33) in every layout. */
    static OpEntry<Unary> elementwiseUnary() {
        OpEntry<Unary> entry = new OpEntry<Unary>(ELEMENTWISE_UNARY, "f(x)")
                .inputs((u, rng) -> new Tensor[] {u.x().random(rng)})
                .reference((u, x) -> new Tensor[] {ElementwiseReference.unary(u.op(), x[0])})
                .fast((u, x) -> new Tensor[] {ElementwiseFast.unary(u.op(), x[0])})
                .agreement((c, i, what) -> assertUnaryAgrees(c.parameters().op(), c.inputs()[0], c.reference()[0],
                        c.fast()[0], what));
        for (int[] dims : new int[][] {{}, {1}, {3}, {7}, {17}, {33}, {3, 7}, {7, 1}, {1, 17}, {2, 3, 5}, {3, 1, 17},
            {2, 3, 7, 33}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 3, 0, dims).inEveryLayout()) {
                for (UnaryOp op : UnaryOp.values()) {
                    entry.problem(op + " of " + x, new Unary(op, x));
                }
            }
        }
        Operand large = Operand.normal(9, 7, 4099);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            entry.threadProblem(op + " of " + large, new Unary(op, large));
        }
        Operand permuted = new Operand(Layout.PERMUTED, 1, 0, 9, 7, 4099);
        entry.threadProblem("LOG of " + permuted, new Unary(UnaryOp.LOG, permuted));
        Operand logits = new Operand(Layout.CONTIGUOUS, 5, 0, 13, 45);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH}) {
            entry.widthProblem(op + " of logits " + logits, new Unary(op, logits));
        }
        Operand images = Operand.normal(3, 5, 17, 19);
        return entry.widthProblem("RELU of " + images, new Unary(UnaryOp.RELU, images))
                .widthProblem("SQRT of z + 4, " + images, new Unary(UnaryOp.SQRT, new Operand(Layout.CONTIGUOUS, 1, 4,
                        3, 5, 17, 19)));
    }

    /**
     * Fails unless the fast {@code op} of {@code x} is the reference's bits ({@link #EXACT_UNARY}) or
     * within its ulps of the exact value; infinities and NaN exactly where the exact value has them.
     */
    static void assertUnaryAgrees(UnaryOp op, Tensor x, Tensor reference, Tensor fast, String what) {
        if (EXACT_UNARY.contains(op)) {
            KernelTesting.assertSameFloats(reference, fast, what);
            return;
        }
        double limit = switch (op) {
            case EXP -> EXP_ULPS;
            case SIGMOID -> SIGMOID_ULPS;
            default -> TANH_ULPS;
        };
        float[] f = fast.toFloatArray();
        double[] in = x.toDoubleArray();
        for (int i = 0; i < f.length; i++) {
            double exact = op.apply(in[i]);
            if (Float.isInfinite((float) exact) || Float.isNaN((float) exact)) {
                assertEquals((float) exact, f[i], what + ": element " + i + " (x = " + in[i] + ")");
                continue;
            }
            double error = KernelTesting.ulps(f[i], exact);
            assertTrue(error <= limit, what + ": element " + i + " (x = " + in[i] + ") is " + error + " ulp off");
        }
    }

    /**
     * Every binary op, bit for bit (each element is one rounded operation), on pairs of shapes that
     * broadcast every way (scalars, rows, columns, size-1 axes), each operand in every layout and each
     * pair in both orders.
     */
    static OpEntry<Binary> elementwiseBinary() {
        OpEntry<Binary> entry = new OpEntry<Binary>(ELEMENTWISE_BINARY, "f(a, b)", "f(b, a)")
                .inputs((b, rng) -> new Tensor[] {b.a().random(rng), b.b().random(rng)})
                .reference((b, x) -> new Tensor[] {ElementwiseReference.binary(b.op(), x[0], x[1]),
                    ElementwiseReference.binary(b.op(), x[1], x[0])})
                .fast((b, x) -> new Tensor[] {ElementwiseFast.binary(b.op(), x[0], x[1]),
                    ElementwiseFast.binary(b.op(), x[1], x[0])});
        int[][][] pairs = {
            {{7}, {7}}, {{3, 17}, {3, 17}}, {{2, 3, 5, 7}, {1, 3, 1, 1}}, {{4, 33}, {33}}, {{3, 7}, {}},
            {{}, {3, 7}}, {{3, 1}, {1, 17}}, {{7, 1, 5}, {3, 1}}, {{1}, {1}}, {{2, 17, 3}, {2, 1, 3}},
            {{33, 17}, {33, 1}},
        };
        for (int[][] pair : pairs) {
            List<Operand> as = Operand.normal(pair[0]).inEveryLayout();
            List<Operand> bs = Operand.normal(pair[1]).inEveryLayout();
            for (int k = 0; k < as.size(); k++) {
                Operand a = as.get(k);
                Operand b = bs.get(k % bs.size());
                for (BinaryOp op : BinaryOp.values()) {
                    entry.problem(op + " of " + a + " and " + b, new Binary(op, a, b));
                }
            }
        }
        Operand large = Operand.normal(9, 7, 4099);
        Operand row = Operand.normal(4099);
        entry.threadProblem("ADD of a per-channel bias", new Binary(BinaryOp.ADD, large, Operand.normal(1, 7, 1)))
                .threadProblem("MUL by a row", new Binary(BinaryOp.MUL, large, row))
                .threadProblem("POW by a row", new Binary(BinaryOp.POW, large, row));
        Operand images = Operand.normal(3, 5, 17, 19);
        return entry.widthProblem("ADD of a per-channel bias",
                        new Binary(BinaryOp.ADD, images, Operand.normal(1, 5, 1, 1)))
                .widthProblem("SUB", new Binary(BinaryOp.SUB, images, images))
                .widthProblem("MUL by a row", new Binary(BinaryOp.MUL, images, Operand.normal(19)))
                .widthProblem("DIV", new Binary(BinaryOp.DIV, images, images))
                .widthProblem("MAXIMUM", new Binary(BinaryOp.MAXIMUM, images, images));
    }

    /** Where picks one of two floats: the same bits. Conditions include all zeros and views. */
    static OpEntry<Where> where() {
        return new OpEntry<Where>(WHERE, "where")
                .inputs((w, rng) -> new Tensor[] {w.condition().random(rng), w.ifTrue().random(rng),
                    w.ifFalse().random(rng)})
                .reference((w, x) -> new Tensor[] {ElementwiseReference.where(x[0], x[1], x[2])})
                .fast((w, x) -> new Tensor[] {ElementwiseFast.where(x[0], x[1], x[2])})
                .problem("same shapes", new Where(Operand.normal(7), Operand.normal(7), Operand.normal(7)))
                .problem("a zero condition", new Where(new Operand(Layout.CONTIGUOUS, 0, 0, 3, 17),
                        Operand.normal(3, 17), Operand.normal(17)))
                .problem("a column, a row and a scalar", new Where(Operand.normal(3, 1), Operand.normal(1, 17),
                        Operand.normal()))
                .problem("views", new Where(new Operand(Layout.PERMUTED, 1, 0, 2, 3, 5, 7),
                        new Operand(Layout.SLICED, 1, 0, 2, 3, 5, 7), new Operand(Layout.EXPANDED, 1, 0, 2, 3, 5, 7)))
                .threadProblem("a per-channel bias and a row",
                        new Where(Operand.normal(9, 7, 4099), Operand.normal(1, 7, 1), Operand.normal(4099)))
                .widthProblem("images and a scalar",
                        new Where(Operand.normal(3, 5, 17, 19), Operand.normal(3, 5, 17, 19), Operand.normal()));
    }
}
