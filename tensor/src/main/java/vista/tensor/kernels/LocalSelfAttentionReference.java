package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;

/**
 * The scalar reference of {@link LocalSelfAttentionKernels}, in double precision: one output pixel and one
 * head at a time, written as the formulas of that class read. It is the teaching version and the oracle
 * of {@link LocalSelfAttentionFast}; shapes are checked by {@link LocalSelfAttentionKernels}.
 */
public final class LocalSelfAttentionReference {
    private LocalSelfAttentionReference() {
    }

    /** The output and the attention weights. */
    public static LocalSelfAttentionKernels.Forward forward(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn,
            LocalAttentionWindow window) {
        Layout at = new Layout(q.shape(), window);
        double[] qs = q.toDoubleArray();
        double[] ks = k.toDoubleArray();
        double[] vs = v.toDoubleArray();
        double[] rows = relRow.toDoubleArray();
        double[] cols = relColumn.toDoubleArray();
        double[] out = new double[qs.length];
        double[] weights = new double[at.weightsSize()];
        double[] logits = new double[window.neighbours()];
        for (int b = 0; b < at.batch; b++) {
            for (int n = 0; n < window.heads(); n++) {
                for (int i = 0; i < at.height; i++) {
                    for (int j = 0; j < at.width; j++) {
                        for (int a = 0; a < at.k; a++) {
                            for (int e = 0; e < at.k; e++) {
                                logits[a * at.k + e] = logit(qs, ks, rows, cols, at, b, n, i, j, a, e);
                            }
                        }
                        softmax(logits);
                        for (int a = 0; a < at.k; a++) {
                            for (int e = 0; e < at.k; e++) {
                                double p = logits[a * at.k + e];
                                weights[at.weight(b, n, a * at.k + e, i, j)] = p;
                                int y = i + a - at.r;
                                int z = j + e - at.r;
                                if (!at.inside(y, z)) {
                                    continue;   // zero values (ZERO) or no weight (MASK): adds nothing
                                }
                                for (int d = 0; d < at.dh; d++) {
                                    int c = n * at.dh + d;
                                    out[at.pixel(b, c, i, j)] += p * vs[at.pixel(b, c, y, z)];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new LocalSelfAttentionKernels.Forward(tensor(out, q.dtype(), q.shape()),
                tensor(weights, q.dtype(), window.weightsShape(q.shape())));
    }

    /** The gradients of q, k, v and both embeddings. */
    public static LocalSelfAttentionKernels.Gradients backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v,
            Tensor relRow, Tensor relColumn, Tensor weights, LocalAttentionWindow window) {
        Layout at = new Layout(q.shape(), window);
        double[] g = gradOutput.toDoubleArray();
        double[] qs = q.toDoubleArray();
        double[] ks = k.toDoubleArray();
        double[] vs = v.toDoubleArray();
        double[] rows = relRow.toDoubleArray();
        double[] cols = relColumn.toDoubleArray();
        double[] p = weights.toDoubleArray();
        double[] dq = new double[qs.length];
        double[] dk = new double[qs.length];
        double[] dv = new double[qs.length];
        double[] dRows = new double[rows.length];
        double[] dCols = new double[cols.length];
        double[] dp = new double[window.neighbours()];
        int h = at.dh / 2;
        for (int b = 0; b < at.batch; b++) {
            for (int n = 0; n < window.heads(); n++) {
                for (int i = 0; i < at.height; i++) {
                    for (int j = 0; j < at.width; j++) {
                        // dL/dp and dL/dv, then the softmax's backward: dL/dlogit = p (dL/dp - sum p dL/dp).
                        double expected = 0;
                        for (int a = 0; a < at.k; a++) {
                            for (int e = 0; e < at.k; e++) {
                                int m = a * at.k + e;
                                double weight = p[at.weight(b, n, m, i, j)];
                                int y = i + a - at.r;
                                int z = j + e - at.r;
                                dp[m] = 0;
                                if (at.inside(y, z)) {
                                    for (int d = 0; d < at.dh; d++) {
                                        int c = n * at.dh + d;
                                        double gradient = g[at.pixel(b, c, i, j)];
                                        dp[m] += gradient * vs[at.pixel(b, c, y, z)];
                                        dv[at.pixel(b, c, y, z)] += weight * gradient;
                                    }
                                }
                                expected += weight * dp[m];
                            }
                        }
                        for (int a = 0; a < at.k; a++) {
                            for (int e = 0; e < at.k; e++) {
                                int m = a * at.k + e;
                                int y = i + a - at.r;
                                int z = j + e - at.r;
                                boolean inside = at.inside(y, z);
                                if (!inside && window.border() == LocalAttentionWindow.Border.MASK) {
                                    continue;
                                }
                                double t = window.logitScale() * p[at.weight(b, n, m, i, j)] * (dp[m] - expected);
                                for (int d = 0; d < at.dh; d++) {
                                    int c = n * at.dh + d;
                                    double query = qs[at.pixel(b, c, i, j)];
                                    double position = d < h ? rows[a * h + d] : cols[e * h + d - h];
                                    double key = inside ? ks[at.pixel(b, c, y, z)] : 0;
                                    dq[at.pixel(b, c, i, j)] += t * (key + position);
                                    if (inside) {
                                        dk[at.pixel(b, c, y, z)] += t * query;
                                    }
                                    if (d < h) {
                                        dRows[a * h + d] += t * query;
                                    } else {
                                        dCols[e * h + d - h] += t * query;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        DType dtype = q.dtype();
        return new LocalSelfAttentionKernels.Gradients(tensor(dq, dtype, q.shape()), tensor(dk, dtype, q.shape()),
                tensor(dv, dtype, q.shape()), tensor(dRows, dtype, relRow.shape()),
                tensor(dCols, dtype, relColumn.shape()));
    }

    /**
     * {@code logit[n, a k + e, i, j]}: the scaled sum of the content term {@code q . k(neighbour)} (0 for a
     * neighbour outside the image) and the positional term {@code q[:h] . relRow[a] + q[h:] . relCol[e]};
     * minus infinity for an outside neighbour under MASK.
     */
    private static double logit(double[] qs, double[] ks, double[] rows, double[] cols, Layout at, int b, int n,
            int i, int j, int a, int e) {
        int y = i + a - at.r;
        int z = j + e - at.r;
        boolean inside = at.inside(y, z);
        if (!inside && at.window.border() == LocalAttentionWindow.Border.MASK) {
            return Double.NEGATIVE_INFINITY;
        }
        int h = at.dh / 2;
        double sum = 0;
        for (int d = 0; d < at.dh; d++) {
            int c = n * at.dh + d;
            double query = qs[at.pixel(b, c, i, j)];
            double key = inside ? ks[at.pixel(b, c, y, z)] : 0;
            double position = d < h ? rows[a * h + d] : cols[e * h + d - h];
            sum += query * (key + position);
        }
        return at.window.logitScale() * sum;
    }

    /**
     * Replaces {@code logits} by their softmax, computed from the largest logit (minus infinity gives 0),
     * with {@code StrictMath.exp}, which has the same bits on every JDK and CPU.
     */
    private static void softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (int m = 0; m < logits.length; m++) {
            logits[m] = StrictMath.exp(logits[m] - max);
            sum += logits[m];
        }
        for (int m = 0; m < logits.length; m++) {
            logits[m] /= sum;
        }
    }

    private static Tensor tensor(double[] values, DType dtype, Shape shape) {
        Storage storage = Storage.allocate(dtype, values.length);
        for (int i = 0; i < values.length; i++) {
            storage.set(i, values[i]);
        }
        return Tensor.of(storage, shape);
    }

    /** Index arithmetic of the row-major {@code (N, C, H, W)} maps and {@code (N, heads, k*k, H, W)} weights. */
    private static final class Layout {
        final LocalAttentionWindow window;
        final int batch;
        final int channels;
        final int height;
        final int width;
        final int dh;
        final int k;
        final int r;

        Layout(Shape shape, LocalAttentionWindow window) {
            this.window = window;
            batch = shape.dim(0);
            channels = shape.dim(1);
            height = shape.dim(2);
            width = shape.dim(3);
            dh = window.headChannels(channels);
            k = window.kernelSize();
            r = window.radius();
        }

        boolean inside(int y, int z) {
            return y >= 0 && y < height && z >= 0 && z < width;
        }

        int pixel(int b, int c, int y, int z) {
            return ((b * channels + c) * height + y) * width + z;
        }

        int weight(int b, int n, int m, int i, int j) {
            return (((b * window.heads() + n) * window.neighbours() + m) * height + i) * width + j;
        }

        int weightsSize() {
            return batch * window.heads() * window.neighbours() * height * width;
        }
    }
}
