package vista.tensor.kernels;

import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The scalar reference of {@link SubtractionKernels}, in double precision, written as the formulas of that
 * class read; the oracle of {@link SubtractionFast}. Shapes are checked by {@link SubtractionKernels}.
 */
public final class SubtractionReference {
    private SubtractionReference() {
    }

    /** {@code r[n, c, k, o] = x1[n, c, centre(o)] - x2[n, c, src_k(o)]}. */
    public static Tensor forward(Tensor x1, Tensor x2, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(x1.shape(), x1.dim(1), footprint);
        double[] first = x1.toDoubleArray();
        double[] second = x2.toDoubleArray();
        double[] r = new double[at.neighbourSize()];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        double centre = first[at.centre(n, c, i, j)];
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                int source = at.source(n, c, i, j, a, b);
                                r[at.neighbour(n, c, a, b, i, j)] = centre - (source >= 0 ? second[source] : 0);
                            }
                        }
                    }
                }
            }
        }
        return NeighbourLayout.tensor(r, x1.dtype(), footprint.neighbourShape(x1.shape(), at.channels));
    }

    /** {@code dL/dx1[centre(o)] = sum over k of G[k, o]} and {@code dL/dx2[src_k(o)] -= G[k, o]}. */
    public static SubtractionKernels.Gradients backward(Tensor gradOutput, Shape input, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(input, input.dim(1), footprint);
        double[] g = gradOutput.toDoubleArray();
        double[] dx1 = new double[input.numel()];
        double[] dx2 = new double[input.numel()];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                double gradient = g[at.neighbour(n, c, a, b, i, j)];
                                dx1[at.centre(n, c, i, j)] += gradient;
                                int source = at.source(n, c, i, j, a, b);
                                if (source >= 0) {
                                    dx2[source] -= gradient;
                                }
                            }
                        }
                    }
                }
            }
        }
        return new SubtractionKernels.Gradients(NeighbourLayout.tensor(dx1, gradOutput.dtype(), input),
                NeighbourLayout.tensor(dx2, gradOutput.dtype(), input));
    }
}
