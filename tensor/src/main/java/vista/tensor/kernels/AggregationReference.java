package vista.tensor.kernels;

import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * The scalar reference of {@link AggregationKernels}, in double precision: one output pixel at a time, written
 * as the formulas of that class read. The teaching version and the oracle of {@link AggregationFast};
 * shapes are checked by {@link AggregationKernels}.
 */
public final class AggregationReference {
    private AggregationReference() {
    }

    /** {@code y[n, c, o] = sum over k of w[n, c mod Cw, k, o] x[n, c, src_k(o)]}. */
    public static Tensor forward(Tensor x, Tensor w, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(x.shape(), w.dim(1), footprint);
        double[] xs = x.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double[] y = new double[at.outputSize()];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        double sum = 0;
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                int source = at.source(n, c, i, j, a, b);
                                if (source >= 0) {
                                    sum += ws[at.neighbour(n, c % at.shared, a, b, i, j)] * xs[source];
                                }
                            }
                        }
                        y[at.output(n, c, i, j)] = sum;
                    }
                }
            }
        }
        return NeighbourLayout.tensor(y, x.dtype(), AggregationKernels.outputShape(x.shape(), footprint));
    }

    /** The gradients of x and w; see {@link AggregationKernels} for the formulas. */
    public static AggregationKernels.Gradients backward(Tensor gradOutput, Tensor x, Tensor w, Footprint footprint) {
        NeighbourLayout at = new NeighbourLayout(x.shape(), w.dim(1), footprint);
        double[] g = gradOutput.toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double[] dx = new double[xs.length];
        double[] dw = new double[ws.length];
        for (int n = 0; n < at.batch; n++) {
            for (int c = 0; c < at.channels; c++) {
                for (int i = 0; i < at.outHeight; i++) {
                    for (int j = 0; j < at.outWidth; j++) {
                        double gradient = g[at.output(n, c, i, j)];
                        for (int a = 0; a < at.k; a++) {
                            for (int b = 0; b < at.k; b++) {
                                int source = at.source(n, c, i, j, a, b);
                                if (source >= 0) {
                                    int weight = at.neighbour(n, c % at.shared, a, b, i, j);
                                    dx[source] += ws[weight] * gradient;
                                    dw[weight] += gradient * xs[source];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new AggregationKernels.Gradients(NeighbourLayout.tensor(dx, x.dtype(), x.shape()),
                NeighbourLayout.tensor(dw, w.dtype(), w.shape()));
    }
}
