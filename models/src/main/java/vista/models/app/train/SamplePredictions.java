package vista.models.app.train;

/**
 * A model's top-1 answer for every image of a test pass, in the data's order: image i has true class
 * {@code labels[i]}, predicted class {@code predicted[i]} (the highest logit, the first among equals) and
 * {@code probability[i]}, the softmax probability of that class. An image whose logits include NaN has
 * predicted class -1 and probability NaN.
 */
public record SamplePredictions(int[] labels, int[] predicted, double[] probability) {
    public SamplePredictions {
        if (labels.length != predicted.length || labels.length != probability.length) {
            throw new IllegalArgumentException("SamplePredictions: " + labels.length + " labels, " + predicted.length
                    + " predictions and " + probability.length + " probabilities; expected one of each per image");
        }
    }

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    /** Whether image {@code i} is classified correctly. */
    public boolean correct(int i) {
        return predicted[i] == labels[i];
    }
}
