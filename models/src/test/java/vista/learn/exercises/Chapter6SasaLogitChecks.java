package vista.learn.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.LocalSelfAttentionReference;

/**
 * The checks of the SASA-logit exercise: the softmax of the learner's logits over a pixel's neighbours must
 * give the attention weights of Vista's scalar reference kernel, inside the image and at its corner.
 */
abstract class Chapter6SasaLogitChecks {
    private static final int CHANNELS = 4;
    private static final int SIDE = 5;
    private static final int KERNEL = 3;

    abstract SasaLogit sasa();

    @Test
    void handWorkedLogit() {
        double logit = sasa().logit(new double[] {1, 2, 3, 4}, new double[] {1, 0, -1, 0.5},
                new double[] {0.5, 0.25}, new double[] {-1, 2}, 0.5);
        // content 1 + 0 - 3 + 2 = 0; row 1 * 0.5 + 2 * 0.25 = 1; column 3 * -1 + 4 * 2 = 5
        assertEquals(0.5 * (0 + 1 + 5), logit, 1e-12);
    }

    @Test
    void softmaxOfTheLogitsGivesTheKernelsWeights() {
        Rng rng = new Rng(6);
        Tensor q = Tensor.randn(rng, 1, CHANNELS, SIDE, SIDE).to(DType.FLOAT64);
        Tensor k = Tensor.randn(rng, 1, CHANNELS, SIDE, SIDE).to(DType.FLOAT64);
        Tensor v = Tensor.randn(rng, 1, CHANNELS, SIDE, SIDE).to(DType.FLOAT64);
        Tensor relRow = Tensor.randn(rng, KERNEL, CHANNELS / 2).to(DType.FLOAT64);
        Tensor relColumn = Tensor.randn(rng, KERNEL, CHANNELS / 2).to(DType.FLOAT64);
        double scale = LocalAttentionWindow.scaledLogitFactor(CHANNELS, 1);
        LocalAttentionWindow window = new LocalAttentionWindow(1, KERNEL, Border.MASK, scale);
        Tensor weights = LocalSelfAttentionReference.forward(q, k, v, relRow, relColumn, window).weights();
        for (int[] pixel : new int[][] {{2, 2}, {0, 0}, {4, 1}}) {
            double[] expected = new double[KERNEL * KERNEL];
            for (int m = 0; m < expected.length; m++) {
                expected[m] = weights.get(0, 0, m, pixel[0], pixel[1]);
            }
            double[] actual = softmaxOverInsideNeighbours(q, k, relRow, relColumn, scale, pixel[0], pixel[1]);
            for (int m = 0; m < expected.length; m++) {
                assertEquals(expected[m], actual[m], 1e-12, "weight of neighbour " + m + " of pixel ("
                        + pixel[0] + ", " + pixel[1] + ")");
            }
        }
    }

    private double[] softmaxOverInsideNeighbours(Tensor q, Tensor k, Tensor relRow, Tensor relColumn, double scale,
            int i, int j) {
        int r = KERNEL / 2;
        double[] p = new double[KERNEL * KERNEL];
        double sum = 0;
        for (int a = 0; a < KERNEL; a++) {
            for (int e = 0; e < KERNEL; e++) {
                int y = i + a - r;
                int z = j + e - r;
                if (y < 0 || y >= SIDE || z < 0 || z >= SIDE) {
                    continue;
                }
                double logit = sasa().logit(channels(q, i, j), channels(k, y, z), row(relRow, a),
                        row(relColumn, e), scale);
                p[a * KERNEL + e] = Math.exp(logit);
                sum += p[a * KERNEL + e];
            }
        }
        for (int m = 0; m < p.length; m++) {
            p[m] /= sum;
        }
        return p;
    }

    private static double[] channels(Tensor x, int i, int j) {
        double[] values = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            values[c] = x.get(0, c, i, j);
        }
        return values;
    }

    private static double[] row(Tensor table, int index) {
        return table.slice(0, index, index + 1).reshape(CHANNELS / 2).toDoubleArray();
    }
}
