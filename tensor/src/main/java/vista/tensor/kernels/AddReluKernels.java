package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.runtime.Kernels;

/**
 * The sum of two tensors of one shape followed by a ReLU, in one pass, and the ReLU's backward:
 * <pre>
 *   forward:         z = max(0, a + b)                    (0 for a + b <= 0 and for -0; NaN stays NaN)
 *   maskedGradient:  g' = g (z > 0 ? 1 : 0)               (dL/d(a + b), the gradient of both a and b)
 * </pre>
 * Each value is rounded exactly as by the two operations run one after the other ({@link Tensor#add}
 * then {@link Tensor#relu()}; the ReLU's backward multiplies g by the mask {@code x > 0}, and
 * {@code z > 0} exactly where {@code a + b > 0}), so the fused results have the same bits as the unfused
 * ones. The residual sum of a ResNet block ({@code relu(bn3(...) + shortcut)}) is its use.
 *
 * <p>This class checks shapes and picks the implementation: {@link AddReluReference} (double precision)
 * for float64 operands or when {@link Kernels#FAST} is false, {@link AddReluFast} (float, Vector API,
 * parallel tiles) when everything is float32. The results have float64 type if any operand has, else
 * float32.
 */
public final class AddReluKernels {
    private AddReluKernels() {
    }

    /**
     * {@code max(0, a + b)}, a new contiguous tensor.
     *
     * @throws IllegalArgumentException if a and b differ in shape (broadcasting is left to
     *     {@link Tensor#add} and a separate ReLU)
     */
    public static Tensor forward(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("addRelu: operands of shapes " + a.shape() + " and " + b.shape()
                    + " differ; it adds tensors of one shape only, so broadcast with add() and relu()");
        }
        return allFloat32(a, b) ? AddReluFast.forward(a, b) : AddReluReference.forward(a, b);
    }

    /**
     * {@code g (z > 0 ? 1 : 0)}, a new contiguous tensor: the gradient {@code g = dL/dz} through the ReLU
     * whose output is z.
     *
     * @throws IllegalArgumentException if g and z differ in shape
     */
    public static Tensor maskedGradient(Tensor g, Tensor z) {
        if (!g.shape().equals(z.shape())) {
            throw new IllegalArgumentException("addRelu backward: gradient of shape " + g.shape()
                    + " does not match the output " + z.shape());
        }
        return allFloat32(g, z) ? AddReluFast.maskedGradient(g, z) : AddReluReference.maskedGradient(g, z);
    }

    private static boolean allFloat32(Tensor... tensors) {
        return Kernels.FAST && BatchNormKernels.resultType(tensors) == DType.FLOAT32;
    }
}
