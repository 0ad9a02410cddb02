package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * One op of the {@link OpCatalogue}: its name, how to make its inputs, its reference and fast kernels,
 * how closely they must agree, and the problems each generic check runs it on.
 *
 * <p>A kernel maps a problem's inputs to its results: the forward results, then, if the op has backward
 * kernels, the gradients. The output gradient is one of the inputs; backward also gets the forward
 * results of one side (the reference's unless {@link #backwardFromFastForward()}), the same for both
 * sides, so that the gradients compare backward alone.
 *
 * <p>Three lists of problems, each named (the name seeds the inputs and is what a failure shows):
 * <ul>
 *   <li>{@link #problems()}: fast against reference on awkward sizes (1, 7, 17, odd channels, rows
 *       shorter than a vector, every layout of a view);</li>
 *   <li>{@link #threadProblems()}: large enough to be cut into many tiles, for the same bits with 1 to 4
 *       threads;</li>
 *   <li>{@link #widthProblems()}: rows that end mid-vector at every width, for the same bits with every
 *       vector width ({@link VectorWidthProbe}).</li>
 * </ul>
 *
 * @param <P> what tells one problem from another: a geometry, a footprint, an axis, an elementwise op
 */
final class OpEntry<P> {
    /** One problem: a name, which also seeds its random inputs, and its parameters. */
    record Problem<P>(String name, P parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Random inputs of a problem. */
    @FunctionalInterface
    interface Inputs<P> {
        Tensor[] make(P parameters, Rng rng);
    }

    /** A forward kernel: the op's results for a problem's inputs. */
    @FunctionalInterface
    interface Forward<P> {
        Tensor[] apply(P parameters, Tensor[] inputs);
    }

    /** A backward kernel: the gradients, from the inputs (the output gradient among them) and forward's results. */
    @FunctionalInterface
    interface Backward<P> {
        Tensor[] apply(P parameters, Tensor[] inputs, Tensor[] forward);
    }

    /** Fails unless the fast result {@code result} agrees closely enough with the reference's. */
    @FunctionalInterface
    interface Agreement<P> {
        void check(Comparison<P> c, int result, String what);

        /** Same shape and float bits (a kernel that rounds each element once, or only moves floats). */
        static <P> Agreement<P> sameBits() {
            return (c, i, what) -> KernelTesting.assertSameFloats(c.reference()[i], c.fast()[i], what);
        }

        /**
         * {@code |fast - reference| <= relative |reference| + toLargest max |reference| + absolute} for every
         * element, and a float32 fast result.
         */
        static <P> Agreement<P> within(double relative, double toLargest, double absolute) {
            return (c, i, what) -> {
                Tensor reference = c.reference()[i];
                assertEquals(DType.FLOAT32, c.fast()[i].dtype(), what + ": dtype");
                double[] e = reference.toDoubleArray();
                double largest = Arrays.stream(e).map(Math::abs).max().orElse(0);
                double[] tolerance = new double[e.length];
                for (int k = 0; k < e.length; k++) {
                    tolerance[k] = relative * Math.abs(e[k]) + toLargest * largest + absolute;
                }
                KernelTesting.assertClose(reference, c.fast()[i], tolerance, what);
            };
        }

        /**
         * {@code |fast - reference| <= relative m + MIN_NORMAL} for every element, m the reference result
         * on the {@linkplain OpEntry#magnitudeInputs magnitude inputs}, such as the sum of |terms| that
         * bounds a float sum's error; and a float32 fast result.
         */
        static <P> Agreement<P> relativeToMagnitude(double relative) {
            return (c, i, what) -> {
                assertEquals(DType.FLOAT32, c.fast()[i].dtype(), what + ": dtype");
                double[] tolerance = c.magnitude().get()[i].toDoubleArray();
                for (int k = 0; k < tolerance.length; k++) {
                    tolerance[k] = tolerance[k] * relative + Float.MIN_NORMAL;
                }
                KernelTesting.assertClose(c.reference()[i], c.fast()[i], tolerance, what);
            };
        }

        /** Agreement {@code i} for result {@code i}, the last one for any result after it. */
        @SafeVarargs
        static <P> Agreement<P> byResult(Agreement<P>... agreements) {
            return (c, i, what) -> agreements[Math.min(i, agreements.length - 1)].check(c, i, what);
        }
    }

    /**
     * The results of both sides on one problem's inputs; {@code magnitude} gives the reference's results on
     * the magnitude inputs (computed when first asked for).
     */
    record Comparison<P>(P parameters, Tensor[] inputs, Tensor[] reference, Tensor[] fast,
            Supplier<Tensor[]> magnitude) {
    }

    private final String name;
    private final List<String> resultNames;
    private Inputs<P> inputs;
    private Forward<P> referenceForward;
    private Backward<P> referenceBackward;
    private Forward<P> fastForward;
    private Backward<P> fastBackward;
    private boolean backwardSeesFastForward;
    private Agreement<P> agreement = Agreement.sameBits();
    private UnaryOperator<Tensor[]> magnitudeInputs = OpEntry::absolute;
    private final List<Problem<P>> problems = new ArrayList<>();
    private final List<Problem<P>> threadProblems = new ArrayList<>();
    private final List<Problem<P>> widthProblems = new ArrayList<>();

    /** An entry named {@code name} whose results are called {@code resultNames} in failures. */
    OpEntry(String name, String... resultNames) {
        this.name = name;
        this.resultNames = List.of(resultNames);
    }

    /** How to make a problem's inputs. */
    OpEntry<P> inputs(Inputs<P> maker) {
        this.inputs = maker;
        return this;
    }

    /** The reference kernel of an op without backward kernels. */
    OpEntry<P> reference(Forward<P> forward) {
        return reference(forward, null);
    }

    /** The reference kernels, forward and backward. */
    OpEntry<P> reference(Forward<P> forward, Backward<P> backward) {
        this.referenceForward = forward;
        this.referenceBackward = backward;
        return this;
    }

    /** The fast kernel of an op without backward kernels. */
    OpEntry<P> fast(Forward<P> forward) {
        return fast(forward, null);
    }

    /** The fast kernels, forward and backward. */
    OpEntry<P> fast(Forward<P> forward, Backward<P> backward) {
        this.fastForward = forward;
        this.fastBackward = backward;
        return this;
    }

    /** Both backward kernels get the fast forward's results (by default, the reference's). */
    OpEntry<P> backwardFromFastForward() {
        this.backwardSeesFastForward = true;
        return this;
    }

    /** How close fast must be to reference (by default, the same bits). */
    OpEntry<P> agreement(Agreement<P> agreement) {
        this.agreement = agreement;
        return this;
    }

    /** The inputs that {@link Agreement#relativeToMagnitude} runs the reference on (by default, their |x|). */
    OpEntry<P> magnitudeInputs(UnaryOperator<Tensor[]> magnitudeInputs) {
        this.magnitudeInputs = magnitudeInputs;
        return this;
    }

    /** Adds a problem for fast against reference. */
    OpEntry<P> problem(String problemName, P parameters) {
        problems.add(new Problem<>(problemName, parameters));
        return this;
    }

    /** Adds a problem for fast against reference, named "label: parameters". */
    OpEntry<P> labelledProblem(String label, P parameters) {
        return problem(label + ": " + parameters, parameters);
    }

    /** Adds a problem for the same bits with any thread count. */
    OpEntry<P> threadProblem(String problemName, P parameters) {
        threadProblems.add(new Problem<>(problemName, parameters));
        return this;
    }

    /** Adds a problem for the same bits with every vector width. */
    OpEntry<P> widthProblem(String problemName, P parameters) {
        widthProblems.add(new Problem<>(problemName, parameters));
        return this;
    }

    String name() {
        return name;
    }

    /** Whether the op has a reference kernel to compare with (a few fast-only helpers do not). */
    boolean hasReference() {
        return referenceForward != null;
    }

    List<Problem<P>> problems() {
        return problems;
    }

    List<Problem<P>> threadProblems() {
        return threadProblems;
    }

    List<Problem<P>> widthProblems() {
        return widthProblems;
    }

    /** The inputs of {@code problem}, from a generator seeded with its name. */
    Tensor[] inputs(Problem<P> problem) {
        return inputs(problem.parameters(), new Rng(problem.name().hashCode()));
    }

    /** Random inputs for {@code parameters} from {@code rng} (for the kernels' own tests). */
    Tensor[] inputs(P parameters, Rng rng) {
        return inputs.make(parameters, rng);
    }

    /** Forward results, then gradients, all by the fast kernels (backward from fast forward's results). */
    Tensor[] fastResults(P parameters, Tensor[] x) {
        Tensor[] forward = fastForward.apply(parameters, x);
        return fastBackward == null ? forward : concat(forward, fastBackward.apply(parameters, x, forward));
    }

    /** Forward results, then gradients, all by the reference kernels. */
    Tensor[] referenceResults(P parameters, Tensor[] x) {
        Tensor[] forward = referenceForward.apply(parameters, x);
        return referenceBackward == null ? forward
                : concat(forward, referenceBackward.apply(parameters, x, forward));
    }

    /** Fails unless every fast result of {@code problem} agrees with the reference's. */
    void assertFastMatchesReference(Problem<P> problem) {
        P p = problem.parameters();
        Tensor[] x = inputs(problem);
        Tensor[] referenceForwardResults = referenceForward.apply(p, x);
        Tensor[] fastForwardResults = fastForward.apply(p, x);
        Tensor[] reference = referenceForwardResults;
        Tensor[] fast = fastForwardResults;
        if (referenceBackward != null) {
            Tensor[] saved = backwardSeesFastForward ? fastForwardResults : referenceForwardResults;
            reference = concat(reference, referenceBackward.apply(p, x, saved));
            fast = concat(fast, fastBackward.apply(p, x, saved));
        }
        Tensor[][] magnitude = new Tensor[1][];
        Comparison<P> c = new Comparison<>(p, x, reference, fast, () -> {
            if (magnitude[0] == null) {
                magnitude[0] = referenceResults(p, magnitudeInputs.apply(x));
            }
            return magnitude[0];
        });
        assertEquals(reference.length, fast.length, this + " " + problem + ": number of results");
        for (int i = 0; i < reference.length; i++) {
            agreement.check(c, i, describe(problem, i));
        }
    }

    /** "entry, problem: result" for failure messages and width lines. */
    String describe(Problem<P> problem, int result) {
        String what = result < resultNames.size() ? resultNames.get(result) : "result " + result;
        return name + ", " + problem + ": " + what;
    }

    @Override
    public String toString() {
        return name;
    }

    private static Tensor[] absolute(Tensor[] x) {
        Tensor[] abs = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            abs[i] = x[i] == null ? null : x[i].abs();
        }
        return abs;
    }

    private static Tensor[] concat(Tensor[] a, Tensor[] b) {
        Tensor[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
