package vista.data;

import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * A synthetic classification problem that no linear model can solve: {@code classes} interleaved
 * spiral arms in the plane. Point {@code i} of arm {@code c} has radius r = i / n and angle
 * theta = 4 (c + r) + 0.2 z with z standard normal; its features are (r sin theta, r cos theta), with
 * {@code StrictMath}'s sine and cosine, which have the same bits on every JDK and CPU.
 *
 * @param features (N, 2) coordinates
 * @param labels   (N) class of each point
 * @param oneHot   (N, classes) one-hot encoding of the labels
 */
public record Spirals(Tensor features, int[] labels, Tensor oneHot) {

    public static Spirals generate(Rng rng, int pointsPerClass, int classes) {
        int n = pointsPerClass * classes;
        float[] xy = new float[n * 2];
        float[] hot = new float[n * classes];
        int[] labels = new int[n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < pointsPerClass; i++) {
                int row = c * pointsPerClass + i;
                double r = (double) i / pointsPerClass;
                double theta = 4 * (c + r) + 0.2 * rng.nextGaussian();
                xy[2 * row] = (float) (r * StrictMath.sin(theta));
                xy[2 * row + 1] = (float) (r * StrictMath.cos(theta));
                labels[row] = c;
                hot[row * classes + c] = 1;
            }
        }
        return new Spirals(Tensor.fromArray(xy, n, 2), labels, Tensor.fromArray(hot, n, classes));
    }

    public int size() {
        return labels.length;
    }
}
