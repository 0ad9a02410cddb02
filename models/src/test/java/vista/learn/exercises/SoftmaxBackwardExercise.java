package vista.learn.exercises;

/**
 * Exercise, chapter 2 (docs/learn/02-autograd.md): the softmax backward.
 * <pre>
 *   y_i = e^(x_i) / sum_j e^(x_j)
 *   dy_i/dx_k = y_i (delta_ik - y_k)                 (the Jacobian)
 *   dL/dx_k = sum_i g_i dy_i/dx_k = ?                (write it without building the Jacobian)
 * </pre>
 * Derive the last line, then code it in one pass for the dot product and one for the result. Vista's
 * version is the backward of {@code autograd/src/main/java/vista/autograd/functions/Softmax.java}.
 *
 * <p>Check your answer with {@code ./vista learn --check 2}.
 */
public final class SoftmaxBackwardExercise implements SoftmaxBackward {
    @Override
    public double[] inputGradient(double[] y, double[] g) {
        throw new UnsupportedOperationException("your code here");
    }
}
