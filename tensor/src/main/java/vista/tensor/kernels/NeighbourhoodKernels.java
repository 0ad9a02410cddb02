package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Kernels;

/**
 * The neighbours of every output pixel, laid out as SAN's relation tensors (PyTorch's {@code unfold}
 * of the padded input, which the official patchwise SAM feeds to its weight mapping γ):
 * <pre>
 *   u[n, c, k, o] = x[n, c, src_k(o)]                (0 for a zero-padded neighbour)
 * </pre>
 * with {@code K = k*k} neighbours k and {@code L = H_out W_out} output pixels o ({@link Footprint}).
 * Backward: {@code dL/dx[n, c, src_k(o)] += G[n, c, k, o]}; a reflected neighbour adds to the pixel it
 * reflects.
 *
 * <p>This class checks shapes and picks the implementation: {@link NeighbourhoodReference} for float64
 * or when {@link Kernels#FAST} is false, {@link NeighbourhoodFast} otherwise.
 */
public final class NeighbourhoodKernels {
    private NeighbourhoodKernels() {
    }

    /** Every neighbour of every output pixel: {@code (N, C, K, L)}. */
    public static Tensor forward(Tensor x, Footprint footprint) {
        footprint.checkFits(x.shape(), "SAN neighbourhood (" + footprint + ")");
        if (Kernels.FAST && x.dtype() == DType.FLOAT32) {
            return NeighbourhoodFast.forward(x, footprint);
        }
        return NeighbourhoodReference.forward(x, footprint);
    }

    /** The gradient of an input of shape {@code input} from {@code gradOutput = dL/du}. */
    public static Tensor backward(Tensor gradOutput, Shape input, Footprint footprint) {
        String who = "SAN neighbourhood (" + footprint + ")";
        footprint.checkFits(input, who);
        SubtractionKernels.checkNeighbourGradient(gradOutput, input, footprint, who);
        if (Kernels.FAST && gradOutput.dtype() == DType.FLOAT32) {
            return NeighbourhoodFast.backward(gradOutput, input, footprint);
        }
        return NeighbourhoodReference.backward(gradOutput, input, footprint);
    }
}
