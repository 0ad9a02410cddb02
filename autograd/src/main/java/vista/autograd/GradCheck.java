package vista.autograd;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Checks backward rules against finite differences.
 *
 * <p>For a computation {@code y = f(x_0, ..., x_n)} and a fixed random tensor R (standard normal,
 * seeded with {@link #SEED}) of y's shape, the scalar {@code L = sum(f(x) * R)} is differentiated two
 * ways, all in float64:
 * <ul>
 *   <li><b>analytic</b>: {@code L.backward()}, which exercises every backward rule on the way with an
 *       upstream gradient that is not all ones;</li>
 *   <li><b>numeric</b>: for every element x_j of every checked input, the central difference
 *       {@code (L(x_j + h) - L(x_j - h)) / 2h}, whose error is about {@code h^2 |d3L/dx_j3| / 6} from
 *       truncation plus about {@code eps |L| / h} from round-off (eps = 2^-52). The default
 *       {@link #DEFAULT_STEP} h = 1e-6 sits near the balance point eps^(1/3) ~ 6e-6: truncation is then
 *       about 2e-13 |d3L/dx_j3| and round-off about 2e-10 |L|, both far below the default atol for
 *       losses and third derivatives up to order 100.</li>
 * </ul>
 * An element passes when {@code |analytic - numeric| <= atol + rtol |numeric|}; defaults
 * {@link #DEFAULT_ATOL} = 1e-7 and {@link #DEFAULT_RTOL} = 1e-5. The {@link Result} names the worst
 * element (the largest error relative to its allowance).
 *
 * <pre>{@code
 * GradCheck.of(x -> x[0].matmul(x[1]), a, b).assertPasses();
 * GradCheck.of(x -> x[0].pow(x[1]), base, exponent).exclude(1).assertPasses();
 * }</pre>
 * Inputs are copied to float64 first and the computation must return float64 (operations mixing
 * float32 and float64 promote to float64, so float32 constants are fine). Keep inputs away from points
 * where f is not differentiable (0 for relu and abs, ties for max), where the two derivatives
 * legitimately disagree.
 */
public final class GradCheck {
    /** Default finite-difference step h. */
    public static final double DEFAULT_STEP = 1e-6;
    /** Default absolute tolerance. */
    public static final double DEFAULT_ATOL = 1e-7;
    /** Default relative tolerance. */
    public static final double DEFAULT_RTOL = 1e-5;
    /** Seed of the random weights R. */
    public static final long SEED = 0x5EED_6AD;

    /** The computation under test; {@code inputs} are float64 leaves. */
    @FunctionalInterface
    public interface Computation {
        Variable compute(Variable... inputs);
    }

    private final Computation f;
    private final Tensor[] inputs;
    private final boolean[] excluded;
    private double step = DEFAULT_STEP;
    private double atol = DEFAULT_ATOL;
    private double rtol = DEFAULT_RTOL;

    private GradCheck(Computation f, Tensor[] inputs) {
        this.f = f;
        this.inputs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            this.inputs[i] = Tensor.zeros(DType.FLOAT64, inputs[i].shape());
            this.inputs[i].copyFrom(inputs[i]);
        }
        this.excluded = new boolean[inputs.length];
    }

    /** A check of {@code f} at {@code inputs} (copied to float64) with the default step and tolerances. */
    public static GradCheck of(Computation f, Tensor... inputs) {
        return new GradCheck(f, inputs);
    }

    /** Treats the given inputs as constants (for example integer-valued ones): they are not checked. */
    public GradCheck exclude(int... inputIndices) {
        for (int i : inputIndices) {
            excluded[i] = true;
        }
        return this;
    }

    /** Sets the finite-difference step h. */
    public GradCheck step(double h) {
        this.step = h;
        return this;
    }

    /** Sets the tolerances of {@code |analytic - numeric| <= atol + rtol |numeric|}. */
    public GradCheck tolerance(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
        return this;
    }

    /** Throws an AssertionError with the {@link Result#report() report} unless every element passes. */
    public void assertPasses() {
        Result result = run();
        if (!result.passed()) {
            throw new AssertionError(result.report());
        }
    }

    /** Compares analytic and numeric gradients for every element of every checked input. */
    public Result run() {
        Variable[] leaves = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = new Variable(inputs[i], !excluded[i]);
        }
        Variable y = output(leaves);
        Tensor weights = Tensor.randn(new Rng(SEED), y.dims()).to(DType.FLOAT64);
        Variable loss = y.mul(new Variable(weights)).sum();
        if (loss.requiresGrad()) {
            loss.backward();
        }
        Result worst = null;
        int checked = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (excluded[i]) {
                continue;
            }
            double[] analytic = leaves[i].grad() != null ? leaves[i].grad().toDoubleArray()
                    : new double[inputs[i].numel()];
            for (int j = 0; j < analytic.length; j++) {
                double numeric = numericDerivative(i, j, weights);
                double error = Math.abs(analytic[j] - numeric);
                double allowed = atol + rtol * Math.abs(numeric);
                if (worst == null || !(error / allowed <= worst.error() / worst.allowed())) {
                    worst = new Result(error <= allowed, i, inputs[i].shape(), j, analytic[j], numeric, error,
                            allowed, 0);
                }
                checked++;
            }
        }
        if (worst == null) {
            throw new IllegalArgumentException("GradCheck: no input element to check (" + inputs.length
                    + " inputs, excluded " + Arrays.toString(excluded) + ")");
        }
        return worst.withCheckedElements(checked);
    }

    /** (L(x + h e_j) - L(x - h e_j)) / 2h for element j (row-major) of input i. */
    @SuppressWarnings("try")
    private double numericDerivative(int i, int j, Tensor weights) {
        Tensor x = inputs[i];
        double original = x.storage().get(j);
        try (var scope = Autograd.noGrad()) {
            x.storage().set(j, original + step);
            double plus = output(constants()).data().mul(weights).sum().item();
            x.storage().set(j, original - step);
            double minus = output(constants()).data().mul(weights).sum().item();
            return (plus - minus) / (2 * step);
        } finally {
            x.storage().set(j, original);
        }
    }

    private Variable[] constants() {
        Variable[] constants = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            constants[i] = new Variable(inputs[i]);
        }
        return constants;
    }

    private Variable output(Variable[] arguments) {
        Variable y = f.compute(arguments);
        if (y.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("GradCheck: the computation returned " + y.dtype() + " "
                    + y.shape() + " from FLOAT64 inputs; finite differences need the whole computation in FLOAT64");
        }
        return y;
    }

    /**
     * The outcome of a check, described by its worst element: input {@code inputIndex} (of
     * {@code inputShape}), row-major element {@code elementIndex}, with both derivatives, their
     * difference and the difference allowed there.
     */
    public record Result(boolean passed, int inputIndex, Shape inputShape, int elementIndex, double analytic,
            double numeric, double error, double allowed, int checkedElements) {

        private Result withCheckedElements(int count) {
            return new Result(passed, inputIndex, inputShape, elementIndex, analytic, numeric, error, allowed,
                    count);
        }

        /** One sentence naming the worst element, e.g. for an assertion message. */
        public String report() {
            return String.format("GradCheck %s: worst of %d elements is input %d (shape %s) element %s: "
                    + "analytic %.10g, numeric %.10g, |difference| %.3g %s allowed %.3g",
                    passed ? "passed" : "FAILED", checkedElements, inputIndex, inputShape,
                    Arrays.toString(unravel(elementIndex, inputShape)), analytic, numeric, error,
                    passed ? "<=" : ">", allowed);
        }

        private static int[] unravel(int flat, Shape shape) {
            int[] index = new int[shape.rank()];
            for (int a = shape.rank() - 1; a >= 0; a--) {
                index[a] = flat % shape.dim(a);
                flat /= shape.dim(a);
            }
            return index;
        }

        @Override
        public String toString() {
            return report();
        }
    }
}
