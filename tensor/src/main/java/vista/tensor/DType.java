package vista.tensor;

/**
 * Element type of a tensor.
 *
 * <p>{@link #FLOAT32} is what models train in; every fast kernel works on it. {@link #FLOAT64} exists so
 * that gradients can be checked against finite differences without float32 round-off drowning the
 * signal: float64 tensors always run the scalar reference kernels.
 */
public enum DType {
    FLOAT32,
    FLOAT64
}
