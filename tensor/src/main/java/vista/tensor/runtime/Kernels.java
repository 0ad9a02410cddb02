package vista.tensor.runtime;

/**
 * Which implementation float32 operations run: the fast Vector API kernels (default) or the scalar
 * reference kernels everywhere ({@code -Dvista.kernels=reference}), for reading, debugging, or
 * checking that a result does not depend on the fast path. float64 tensors always use the reference.
 */
public final class Kernels {
    /** True unless {@code vista.kernels=reference}. */
    public static final boolean FAST = chooseFast(System.getProperty("vista.kernels"));

    private Kernels() {
    }

    static boolean chooseFast(String value) {
        if (value == null || value.isBlank() || value.equals("fast")) {
            return true;
        }
        if (value.equals("reference")) {
            return false;
        }
        throw new IllegalArgumentException("vista.kernels must be 'fast' or 'reference', got '" + value + "'");
    }
}
