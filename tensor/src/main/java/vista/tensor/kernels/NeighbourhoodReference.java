package vista.tensor.kernels;

import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The scalar reference of {@link NeighbourhoodKernels}, in double precision; the oracle of
 * {@link NeighbourhoodFast}. Shapes are checked by {@link NeighbourhoodKernels}.
 */
public final class NeighbourhoodReference {
    private NeighbourhoodReference() {
    }

    /** {@code u[n, c, k, o] = x[n, c, src_k(o)]}, 0 for a zero-padded neighbour. */
    public static Tensor forward(Tensor x, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(x.shape(), x.dim(1), footprint);
        double[] xs = x.toDoubleArray();
        double[] u = new double[at.neighbourSize()];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                int source = at.source(n, c, i, j, a, b);
                                u[at.neighbour(n, c, a, b, i, j)] = source >= 0 ? xs[source] : 0;
                            }
                        }
                    }
                }
            }
        }
        return NeighbourLayout.tensor(u, x.dtype(), footprint.neighbourShape(x.shape(), at.channels));
    }

    /** {@code dL/dx[n, c, src_k(o)] += G[n, c, k, o]}. */
    public static Tensor backward(Tensor gradOutput, Shape input, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(input, input.dim(1), footprint);
        double[] g = gradOutput.toDoubleArray();
        double[] dx = new double[input.numel()];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                int source = at.source(n, c, i, j, a, b);
                                if (source >= 0) {
                                    dx[source] += g[at.neighbour(n, c, a, b, i, j)];
                                }
                            }
                        }
                    }
                }
            }
        }
        return NeighbourLayout.tensor(dx, gradOutput.dtype(), input);
    }
}
