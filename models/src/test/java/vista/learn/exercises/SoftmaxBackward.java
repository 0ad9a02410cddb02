package vista.learn.exercises;

/**
 * The backward pass of softmax over one row: from the forward pass's output {@code y = softmax(x)} and
 * the gradient {@code g = dL/dy} arriving from above, the gradient {@code dL/dx}.
 */
interface SoftmaxBackward {
    /** {@code dL/dx} for one row; {@code y} and {@code g} have the same length and are not modified. */
    double[] inputGradient(double[] y, double[] g);
}
