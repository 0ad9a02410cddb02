package vista.models.app.train;

import vista.data.Batch;
import vista.tensor.Tensor;

/**
 * Sums over one epoch's training steps, so far: the images seen, the training loss and top-1 accuracy
 * averaged over them (in training mode, on augmented images, while the weights changed), the learning
 * rate of the last step, the time since the epoch started and, on a cluster, the time spent communicating.
 */
public final class EpochStats {
    private final long start = System.nanoTime();
    private int steps;
    private long images;
    private long correct;
    private double lossSum;
    private double learningRate;
    private long nanos;
    private long communicationNanos = -1;

    /** Adds a step on {@code batch} at learning rate {@code rate}, whose logits and mean loss were these. */
    void add(Batch batch, Tensor logits, double loss, double rate) {
        steps++;
        images += batch.size();
        lossSum += loss * batch.size();
        correct += correct(logits, batch.labels());
        learningRate = rate;
        nanos = System.nanoTime() - start;
    }

    private static long correct(Tensor logits, int[] labels) {
        float[] z = logits.toFloatArray();
        int k = z.length / labels.length;
        long n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Evaluation.argmax(z, i * k, k) == labels[i]) {
                n++;
            }
        }
        return n;
    }

    /** Steps taken. */
    public int steps() {
        return steps;
    }

    /** Images seen. */
    public long images() {
        return images;
    }

    /** The training loss, averaged over the images. */
    public double loss() {
        return lossSum / images;
    }

    /** The share of images whose highest logit was the true class. */
    public double accuracy() {
        return (double) correct / images;
    }

    /** η of the last step. */
    public double learningRate() {
        return learningRate;
    }

    /** Nanoseconds from the start of the epoch to the end of the last step. */
    public long nanos() {
        return nanos;
    }

    /** {@link #nanos()} in seconds. */
    public double seconds() {
        return nanos / 1e9;
    }

    /**
     * Records that {@code nanos} of the epoch's training time went to exchanging gradients and statistics
     * with other workers (a {@code --cluster} run).
     */
    void setCommunicationNanos(long nanos) {
        communicationNanos = nanos;
    }

    /**
     * The share of the training time spent communicating with other workers, in [0, 1]; NaN for a run on
     * one process, which does not communicate.
     */
    public double communicationShare() {
        return communicationNanos < 0 ? Double.NaN : Math.min(1, (double) communicationNanos / nanos);
    }

    /** Images per second of training (for a cluster, of all workers together: the batch is global). */
    public double imagesPerSecond() {
        return images / seconds();
    }
}
