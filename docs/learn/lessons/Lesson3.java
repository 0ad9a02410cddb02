import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.kernels.ElementwiseKernels;
import vista.tensor.kernels.ElementwiseReference;
import vista.tensor.kernels.GemmKernels;
import vista.tensor.kernels.UnaryOp;
import vista.tensor.runtime.Kernels;
import vista.tensor.runtime.Vectors;

/**
 * Lesson 3 (docs/learn/03-kernels.md): a scalar reference kernel and a Vector API kernel of the same op.
 * <ol>
 *   <li>{@code y = a x + y} written twice here: a scalar loop, and a vector loop over {@code LANES} floats at
 *       a time with a scalar tail for the last {@code n mod LANES}; one fused multiply-add per element
 *       either way, so the bits are the same.</li>
 *   <li>Vista's matrix product, {@code GemmKernels.reference} (three loops) against {@code GemmKernels.fast}
 *       (packed panels, an 8 x 2-vector register block, tiles), on sizes that are not multiples of the
 *       lanes: the same bits, and the time of each.</li>
 *   <li>{@code exp}: the reference ({@code StrictMath.exp}, rounded to float) against the fast kernel's
 *       FMA polynomial, which may differ in the last bits.</li>
 * </ol>
 * <p>Run: {@code ./vista learn 3}; {@code --quick} uses small matrices.
 */
public class Lesson3 {
    // a static final species, as every fast kernel has: passed as an argument it would box (about 80x slower)
    static final VectorSpecies<Float> SPECIES = Vectors.FLOAT;

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        System.out.printf("this machine's vectors: %d float lanes (%d bits); fast kernels %s%n",
                Vectors.LANES, Vectors.LANES * 32, Kernels.FAST ? "on" : "off (-Dvista.kernels=reference)");

        Rng rng = new Rng(3);
        int n = 1003;
        float[] x = Tensor.randn(rng, n).floats();
        float[] y = Tensor.randn(rng, n).floats();
        float[] scalar = y.clone();
        float[] vector = y.clone();
        axpyScalar(0.5f, x, scalar);
        int tail = axpyVector(0.5f, x, vector);
        check(Arrays.equals(scalar, vector), "the vector axpy has the scalar axpy's bits");
        System.out.printf("axpy on %d floats: %d vector steps of %d lanes + a scalar tail of %d; bits identical%n",
                n, n / Vectors.LANES, Vectors.LANES, tail);

        int size = quick ? 67 : 301;
        int m = size, k = size + 13, cols = size - 5;
        float[] a = Tensor.randn(rng, m, k).floats();
        float[] b = Tensor.randn(rng, k, cols).floats();
        float[] reference = new float[m * cols];
        float[] fast = new float[m * cols];
        int repeats = quick ? 2 : 5;
        double referenceMs = bestOf(repeats, () -> GemmKernels.reference(false, false, m, cols, k, a, 0, k, b, 0,
                cols, reference, 0, cols, false));
        double fastMs = bestOf(repeats, () -> GemmKernels.fast(false, false, m, cols, k, a, 0, k, b, 0, cols, fast, 0,
                cols, false));
        float maxDifference = 0;
        for (int i = 0; i < reference.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(reference[i] - fast[i]));
        }
        System.out.printf("GEMM %d x %d times %d x %d: reference %.2f ms, fast %.2f ms (%.1fx%s), max |difference| %s%n",
                m, k, k, cols, referenceMs, fastMs, referenceMs / fastMs,
                quick ? "; too small and too cold a JIT to judge speed, run without --quick" : "", maxDifference);
        check(maxDifference == 0, "fast and reference GEMM give the same bits (one FMA chain per element, p = 0..k-1)");

        Tensor inputs = Tensor.arange(-20, 20, 0.37);
        Tensor expReference = ElementwiseReference.unary(UnaryOp.EXP, inputs);
        Tensor expKernel = ElementwiseKernels.unary(UnaryOp.EXP, inputs);
        int worstUlps = 0;
        for (int i = 0; i < inputs.numel(); i++) {
            float r = (float) expReference.get(i);
            float f = (float) expKernel.get(i);
            worstUlps = Math.max(worstUlps, Math.abs(Float.floatToIntBits(r) - Float.floatToIntBits(f)));
        }
        System.out.printf("exp on %d points in [-20, 20): the kernel is within %d ulp of StrictMath.exp%n",
                inputs.numel(), worstUlps);
        check(worstUlps <= 4, "the fast exp is within a few ulps of the reference");
        System.out.printf("lesson 3 ok: fast GEMM matches the reference bit for bit (%.1fx the reference's speed here)%n",
                referenceMs / fastMs);
    }

    /** {@code y[i] = fma(a, x[i], y[i])}, one element at a time. */
    static void axpyScalar(float a, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
    }

    /** The same with {@code LANES} elements per step and a scalar tail; returns the tail's length. */
    static int axpyVector(float a, float[] x, float[] y) {
        FloatVector as = FloatVector.broadcast(SPECIES, a);
        int i = 0;
        int bound = SPECIES.loopBound(x.length);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector xs = FloatVector.fromArray(SPECIES, x, i);
            FloatVector ys = FloatVector.fromArray(SPECIES, y, i);
            as.fma(xs, ys).intoArray(y, i);
        }
        int tail = x.length - i;
        for (; i < x.length; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
        return tail;
    }

    /** The fastest of {@code repeats} runs, in milliseconds (the first runs also warm the JIT up). */
    static double bestOf(int repeats, Runnable body) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            body.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 3: expected that " + claim);
        }
    }
}
