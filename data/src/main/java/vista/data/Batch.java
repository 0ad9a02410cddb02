package vista.data;

import vista.tensor.Tensor;

/**
 * One batch from a {@link DataLoader}.
 *
 * @param images  float32 tensor of shape (B, C, H, W): the samples' pixels as value / 255, then the
 *                loader's transforms (augmentation, normalisation)
 * @param labels  the B class labels, in the same order
 * @param indices the B samples' indices in the data set, in the same order
 * @param epoch   the epoch the batch belongs to (from 0)
 * @param number  the batch's position in its epoch (from 0)
 */
public record Batch(Tensor images, int[] labels, int[] indices, int epoch, int number) {

    /** Number of samples B. */
    public int size() {
        return labels.length;
    }
}
