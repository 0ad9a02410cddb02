package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Shared helpers of the kernel tests and the {@link OpCatalogue}: awkward layouts of random data, float
 * comparisons, and the message of a rejected call.
 */
final class KernelTesting {
    private KernelTesting() {
    }

    /**
     * How a tensor's elements lie in its storage. Kernels take a fast path for contiguous operands and
     * a strided one for views; every layout must give the same values.
     */
    enum Layout {
        /** Row-major and dense. */
        CONTIGUOUS,
        /** The axes of a contiguous tensor reversed: no axis has stride 1 unless the rank is below 2. */
        PERMUTED,
        /** A slice of a wider tensor: a gap after every innermost row and a non-zero offset. */
        SLICED,
        /** A broadcast view: stride 0 on the even axes, which were 1. */
        EXPANDED;

        /** Whether a tensor of shape {@code dims} can have this layout (sliced: an axis; expanded: an even one > 1). */
        boolean fits(int... dims) {
            return switch (this) {
                case CONTIGUOUS, PERMUTED -> true;
                case SLICED -> dims.length > 0;
                case EXPANDED -> expandedFrom(dims) != null;
            };
        }

        /** Values {@code scale * z + shift}, z standard normal, of shape {@code dims} in this layout. */
        Tensor random(Rng rng, double scale, double shift, int... dims) {
            int rank = dims.length;
            return switch (this) {
                case CONTIGUOUS -> KernelTesting.random(rng, scale, shift, dims);
                case PERMUTED -> {
                    int[] reversed = new int[rank];
                    int[] back = new int[rank];
                    for (int a = 0; a < rank; a++) {
                        reversed[a] = dims[rank - 1 - a];
                        back[a] = rank - 1 - a;
                    }
                    yield KernelTesting.random(rng, scale, shift, reversed).permute(back);
                }
                case SLICED -> {
                    int[] wider = dims.clone();
                    wider[rank - 1] += 3;
                    yield KernelTesting.random(rng, scale, shift, wider).slice(rank - 1, 2, 2 + dims[rank - 1]);
                }
                case EXPANDED -> KernelTesting.random(rng, scale, shift, expandedFrom(dims)).expand(dims);
            };
        }

        /** The layouts a tensor of shape {@code dims} can have. */
        static List<Layout> all(int... dims) {
            return Arrays.stream(values()).filter(layout -> layout.fits(dims)).toList();
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code dims} with the even axes set to 1, or null if none of them was larger. */
        private static int[] expandedFrom(int[] dims) {
            int[] ones = dims.clone();
            boolean repeats = false;
            for (int a = 0; a < ones.length; a += 2) {
                if (ones[a] > 1) {
                    ones[a] = 1;
                    repeats = true;
                }
            }
            return repeats ? ones : null;
        }
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

    /** The message of the IllegalArgumentException that {@code r} must throw. */
    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /** The fast results of {@code entry} on strided views have the bits of those on contiguous copies. */
    static <P> void assertViewsGiveTheBitsOfContiguousCopies(OpEntry<P> entry, P parameters, Tensor... views) {
        Tensor[] copies = new Tensor[views.length];
        for (int i = 0; i < views.length; i++) {
            copies[i] = views[i].contiguous();
        }
        Tensor[] expected = entry.fastResults(parameters, copies);
        Tensor[] actual = entry.fastResults(parameters, views);
        for (int i = 0; i < expected.length; i++) {
            assertSameFloats(expected[i], actual[i], entry + ": result " + i + " of strided views");
        }
    }
}
