package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.ARGMAX;
import static vista.tensor.kernels.OpCatalogue.MAX;
import static vista.tensor.kernels.OpCatalogue.MEAN;
import static vista.tensor.kernels.OpCatalogue.SUM;
import static vista.tensor.kernels.OpCatalogue.VAR;

import java.util.Arrays;
import vista.tensor.Tensor;
import vista.tensor.kernels.KernelTesting.Layout;
import vista.tensor.kernels.OpCatalogue.Operand;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for reductions. */
final class ReductionEntries {
    private ReductionEntries() {
    }

    /**
     * Tolerance of the fast float sums against the double reference: a few float roundings per
     * element's magnitude, {@code 4 * 2^-24 * sum |x|} (summing n values in float errs by at most about
     * log2(n) roundings of partial sums with the tree, far less than n).
     */
    static final double SUM_TOLERANCE = 4 * 0x1p-24 * 16;

    /** A reduction of an operand over some axes (argmax: one), and var's correction. */
    record Reduction(Operand x, int[] axes, boolean keepdim, int correction) {
        @Override
        public String toString() {
            return x + " over " + Arrays.toString(axes) + (keepdim ? " keepdim" : "");
        }
    }

    /** Sum: within {@link #SUM_TOLERANCE} of sum |x|. */
    static OpEntry<Reduction> sum() {
        return reductionProblems(new OpEntry<Reduction>(SUM, "sum")
                .reference((r, x) -> new Tensor[] {ReductionsReference.sum(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.sum(x[0], r.axes(), r.keepdim())})
                .agreement(Agreement.relativeToMagnitude(SUM_TOLERANCE)), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 0))
                .threadProblem("images over [0, 2, 3]", new Reduction(IMAGES, new int[] {0, 2, 3}, false, 0))
                .threadProblem("a tall axis", new Reduction(TALL, new int[] {0}, false, 0))
                .widthProblem("a long run", new Reduction(SHORT_RUN, new int[] {0}, false, 0))
                .widthProblem("rows of 17 x 19", new Reduction(SMALL_IMAGES, new int[] {2, 3}, false, 0))
                .widthProblem("columns", new Reduction(SMALL_IMAGES, new int[] {1}, false, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 0))
                .widthProblem("over [0, 2, 3] (a convolution's bias gradient)", new Reduction(SMALL_IMAGES,
                        new int[] {0, 2, 3}, false, 0));
    }

    /** Mean: within {@link #SUM_TOLERANCE} of mean |x|. */
    static OpEntry<Reduction> mean() {
        return reductionProblems(new OpEntry<Reduction>(MEAN, "mean")
                .reference((r, x) -> new Tensor[] {ReductionsReference.mean(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.mean(x[0], r.axes(), r.keepdim())})
                .agreement((c, i, what) -> {
                    Reduction r = c.parameters();
                    Tensor magnitude = ReductionsReference.sum(c.inputs()[0].abs(), r.axes(), r.keepdim());
                    KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                            scale(magnitude, SUM_TOLERANCE / count(c.inputs()[0], magnitude)), what);
                }), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 0))
                .threadProblem("images over [2, 3]", new Reduction(IMAGES, new int[] {2, 3}, false, 0))
                .widthProblem("over [0, 2, 3], keepdim", new Reduction(SMALL_IMAGES, new int[] {0, 2, 3}, true, 0));
    }

    /** Max picks one float: the same bits. */
    static OpEntry<Reduction> max() {
        return reductionProblems(new OpEntry<Reduction>(MAX, "max")
                .reference((r, x) -> new Tensor[] {ReductionsReference.max(x[0], r.axes(), r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.max(x[0], r.axes(), r.keepdim())}), false)
                .threadProblem("images over channels", new Reduction(IMAGES, new int[] {1}, false, 0))
                .threadProblem("a tall axis, keepdim", new Reduction(TALL, new int[] {0}, true, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 0));
    }

    /** Var, corrections 0 and 1: within 4 {@link #SUM_TOLERANCE} of sum x^2 / (n - correction). */
    static OpEntry<Reduction> var() {
        return reductionProblems(new OpEntry<Reduction>(VAR, "var")
                .reference((r, x) -> new Tensor[] {
                    ReductionsReference.var(x[0], r.axes(), r.keepdim(), r.correction())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.var(x[0], r.axes(), r.keepdim(), r.correction())})
                .agreement((c, i, what) -> {
                    Reduction r = c.parameters();
                    Tensor x = c.inputs()[0];
                    double n = count(x, ReductionsReference.sum(x.abs(), r.axes(), r.keepdim()));
                    Tensor squares = ReductionsReference.sum(x.mul(x), r.axes(), r.keepdim());
                    KernelTesting.assertClose(c.reference()[0], c.fast()[0],
                            scale(squares, 4 * SUM_TOLERANCE / (n - r.correction())), what);
                }), false)
                .threadProblem("a long run", new Reduction(LONG_RUN, new int[] {0}, false, 1))
                .threadProblem("images over [0, 2, 3], keepdim", new Reduction(IMAGES, new int[] {0, 2, 3}, true, 0))
                .threadProblem("a tall axis", new Reduction(TALL, new int[] {0}, false, 1))
                .widthProblem("a long run", new Reduction(SHORT_RUN, new int[] {0}, false, 1))
                .widthProblem("over [0, 2, 3]", new Reduction(SMALL_IMAGES, new int[] {0, 2, 3}, false, 0))
                .widthProblem("a tall axis", new Reduction(NARROW, new int[] {0}, false, 1));
    }

    /** Argmax picks the first maximum's index: the same bits. */
    static OpEntry<Reduction> argmax() {
        return reductionProblems(new OpEntry<Reduction>(ARGMAX, "argmax")
                .reference((r, x) -> new Tensor[] {ReductionsReference.argmax(x[0], r.axes()[0], r.keepdim())})
                .fast((r, x) -> new Tensor[] {ReductionsFast.argmax(x[0], r.axes()[0], r.keepdim())}), true)
                .threadProblem("images along rows", new Reduction(IMAGES, new int[] {3}, false, 0))
                .widthProblem("rows of 37", new Reduction(NARROW, new int[] {1}, false, 0));
    }

    /** A run of five chunks and 123 values more. */
    private static final Operand LONG_RUN = Operand.normal(5 * ReductionsFast.CHUNK + 123);
    /** A run of two chunks and 77 values more. */
    private static final Operand SHORT_RUN = Operand.normal(2 * ReductionsFast.CHUNK + 77);
    /** Images (8, 6, 33, 35): many tiles of planes. */
    private static final Operand IMAGES = Operand.normal(8, 6, 33, 35);
    /** A tall axis of 3 chunks and 7 more, 19 wide. */
    private static final Operand TALL = Operand.normal(3 * ReductionsFast.CHUNK + 7, 19);
    /** Images (3, 5, 17, 19): rows that end mid-vector at every width. */
    private static final Operand SMALL_IMAGES = Operand.normal(3, 5, 17, 19);
    /** A tall axis of 1001 rows of 37. */
    private static final Operand NARROW = Operand.normal(1001, 37);

    /**
     * The reduction problems: z + 0.5 on awkward shapes in every layout, over every subset of the axes
     * (only single axes for argmax), with and without keepdim, and var with corrections 0 and 1 where n
     * exceeds them; then long runs over many chunks and a tall axis.
     */
    private static OpEntry<Reduction> reductionProblems(OpEntry<Reduction> entry, boolean singleAxis) {
        entry.inputs((r, rng) -> new Tensor[] {r.x().random(rng)});
        boolean var = entry.name().equals(VAR);
        for (int[] dims : new int[][] {{3, 7, 17}, {2, 3, 5, 17}, {1, 33, 1}, {17, 1, 3}}) {
            for (Operand x : new Operand(Layout.CONTIGUOUS, 1, 0.5, dims).inEveryLayout()) {
                for (int[] axes : KernelTesting.axisSubsets(dims.length)) {
                    for (boolean keepdim : new boolean[] {false, true}) {
                        reduction(entry, new Reduction(x, axes, keepdim, 0), singleAxis, var);
                    }
                }
            }
        }
        Operand longRuns = new Operand(Layout.CONTIGUOUS, 1, 0.25, 3, 70_001);
        for (int[] axes : new int[][] {{1}, {0}, {0, 1}}) {
            reduction(entry, new Reduction(longRuns, axes, false, 0), singleAxis, var);
        }
        Operand tall = Operand.normal(40_000, 5);
        reduction(entry, new Reduction(tall, new int[] {0}, true, 0), singleAxis, var);
        reduction(entry, new Reduction(tall, new int[] {1}, false, 0), singleAxis, var);
        return entry;
    }

    private static void reduction(OpEntry<Reduction> entry, Reduction r, boolean singleAxis, boolean var) {
        if (singleAxis && r.axes().length != 1) {
            return;
        }
        if (!var) {
            entry.problem(r.toString(), r);
            return;
        }
        int n = 1;
        for (int axis : r.axes()) {
            n *= r.x().dims()[axis];
        }
        for (int correction : new int[] {0, 1}) {
            if (n - correction > 0) {
                entry.problem(r + ", correction " + correction,
                        new Reduction(r.x(), r.axes(), r.keepdim(), correction));
            }
        }
    }

    /** How many elements each result of a reduction summarises: |x| over the result's size. */
    private static double count(Tensor x, Tensor reduced) {
        return (double) x.numel() / Math.max(1, reduced.numel());
    }

    private static double[] scale(Tensor t, double factor) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * factor + Float.MIN_NORMAL;
        }
        return v;
    }
}
