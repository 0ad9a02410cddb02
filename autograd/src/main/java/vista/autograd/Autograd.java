package vista.autograd;

/**
 * Switches for the graph recorder. Gradient recording is on by default and is a per-thread setting.
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Variable y = model(x);   // no graph: y.gradFn() == null, y.requiresGrad() == false
 * }
 * }</pre>
 */
public final class Autograd {
    private static final ThreadLocal<Boolean> GRAD_ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private Autograd() {
    }

    /** True unless the current thread is inside a {@link #noGrad()} scope. */
    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get();
    }

    /**
     * Turns recording off on this thread until the returned scope is closed; closing restores the
     * state found on entry, so scopes nest.
     */
    public static NoGrad noGrad() {
        NoGrad scope = new NoGrad(isGradEnabled());
        GRAD_ENABLED.set(Boolean.FALSE);
        return scope;
    }

    /** A scope without gradient recording; {@link #close()} restores the previous state. */
    public static final class NoGrad implements AutoCloseable {
        private final boolean previous;

        private NoGrad(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            GRAD_ENABLED.set(previous);
        }
    }
}
