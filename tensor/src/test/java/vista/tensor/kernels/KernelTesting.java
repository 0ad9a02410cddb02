package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Shared helpers of the kernel tests: awkward layouts of random data, and float comparisons. */
final class KernelTesting {
    private KernelTesting() {
    }

    /** A named tensor, so that a failure says which layout broke. */
    record Case(String name, Tensor tensor) {
        @Override
        public String toString() {
            return name + " " + tensor.shape();
        }
    }

    /**
     * Standard normal data of shape {@code dims} in four layouts: contiguous, a permuted view (the axes
     * of a contiguous tensor reversed), a slice of a wider tensor (a gap after every innermost row and
     * a non-zero offset), and, if some axis can repeat, a broadcast view (stride 0 on axes that were 1).
     */
    static List<Case> layouts(Rng rng, int... dims) {
        return layouts(rng, 1, 0, dims);
    }

    /** As {@link #layouts(Rng, int...)}, with values {@code scale * z + shift}, z standard normal. */
    static List<Case> layouts(Rng rng, double scale, double shift, int... dims) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("contiguous", random(rng, scale, shift, dims)));
        int rank = dims.length;
        int[] reversed = new int[rank];
        int[] back = new int[rank];
        for (int a = 0; a < rank; a++) {
            reversed[a] = dims[rank - 1 - a];
            back[a] = rank - 1 - a;
        }
        cases.add(new Case("permuted", random(rng, scale, shift, reversed).permute(back)));
        if (rank > 0) {
            int[] wider = dims.clone();
            wider[rank - 1] += 3;
            cases.add(new Case("sliced", random(rng, scale, shift, wider).slice(rank - 1, 2, 2 + dims[rank - 1])));
        }
        int[] ones = dims.clone();
        boolean repeats = false;
        for (int a = 0; a < rank; a += 2) {
            if (ones[a] > 1) {
                ones[a] = 1;
                repeats = true;
            }
        }
        if (repeats) {
            cases.add(new Case("expanded", random(rng, scale, shift, ones).expand(dims)));
        }
        return cases;
    }

    private static Tensor random(Rng rng, double scale, double shift, int[] dims) {
        Tensor t = Tensor.randn(rng, dims);
        float[] values = t.floats();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * values[i] + shift);
        }
        return t;
    }

    /** Same shape, dtype and bit pattern of every element (all NaNs count as equal). */
    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    /** Same shape and float32 bit patterns. */
    static void assertSameFloats(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertArrayEquals(bits(expected), bits(actual), what);
    }

    static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToIntBits(f[i]);
        }
        return b;
    }

    /** |actual - expected| <= tolerance[i] for each element; NaN only where NaN is expected. */
    static void assertClose(Tensor expected, Tensor actual, double[] tolerance, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(a[i] - e[i]) <= tolerance[i];
            if (!ok) {
                fail(what + ": element " + i + " expected " + e[i] + " +- " + tolerance[i] + " but was " + a[i]);
            }
        }
    }

    /** The error of {@code actual} in units in the last place of float32 at the exact value. */
    static double ulps(float actual, double exact) {
        if (actual == exact) {
            return 0;
        }
        float rounded = (float) exact;
        double ulp = Math.ulp(Math.max(Math.abs(rounded), Float.MIN_NORMAL));
        return Math.abs(actual - exact) / ulp;
    }

    /** All subsets of the axes {@code 0 .. rank-1}, as axis arrays (the empty one included). */
    static List<int[]> axisSubsets(int rank) {
        List<int[]> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << rank; mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            for (int a = 0, k = 0; a < rank; a++) {
                if ((mask & 1 << a) != 0) {
                    axes[k++] = a;
                }
            }
            subsets.add(axes);
        }
        return subsets;
    }

    static String describe(String op, Case c, int[] axes, boolean keepdim) {
        return op + " of " + c + " over " + Arrays.toString(axes) + (keepdim ? " keepdim" : "");
    }
}
