package vista.models.app.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.tensor.Tensor;

/**
 * A model's results on a data set, measured in evaluation mode (BatchNorm uses its running statistics)
 * without recording gradients.
 *
 * <ul>
 *   <li>loss: the mean over the images of plain cross-entropy, -log softmax(z)[t], without label smoothing
 *       (so it is comparable between runs whatever their smoothing);</li>
 *   <li>top-1: the share of images whose highest logit is the true class (the first one among equal
 *       logits, as {@code argmax});</li>
 *   <li>top-5: the share whose true class is among the five highest logits (among all of them with fewer
 *       than five classes), ties broken by class number as for top-1;</li>
 *   <li>the confusion matrix of the top-1 predictions;</li>
 *   <li>if asked for, each image's top-1 prediction and its probability ({@link SamplePredictions}), for
 *       prediction files and paired comparisons; a training run's per-epoch test pass does not ask.</li>
 * </ul>
 * Logits that include NaN rank nothing: such an image counts as wrong in top-1 and top-5 and has no
 * place in the confusion matrix (its loss is NaN too, which {@link Evaluator} and {@link Trainer} refuse).
 *
 * @param samples     images evaluated
 * @param loss        mean cross-entropy
 * @param top1Correct images whose highest logit is the true class
 * @param top5Correct images whose true class is among the five highest logits
 * @param confusion   the top-1 predictions by true class
 * @param classNames  the data's class names, by class number
 * @param predictions each image's top-1 prediction, or null when not asked for
 */
public record Evaluation(int samples, double loss, long top1Correct, long top5Correct, ConfusionMatrix confusion,
                         List<String> classNames, SamplePredictions predictions) {
    private static final int TOP_K = 5;

    /** Top-1 accuracy, in [0, 1]. */
    public double top1() {
        return (double) top1Correct / samples;
    }

    /** Top-5 accuracy, in [0, 1]. */
    public double top5() {
        return (double) top5Correct / samples;
    }

    /** {@link #run(Module, DataLoader, int, IntConsumer, boolean)} without keeping each image's prediction. */
    public static Evaluation run(Module model, DataLoader loader, int numClasses, IntConsumer imagesDone) {
        return run(model, loader, numClasses, imagesDone, false);
    }

    /**
     * Evaluates {@code model} on one pass over {@code loader} (epoch 0, which is the data in order when
     * the loader does not shuffle), calling {@code imagesDone} after each batch with the images done so
     * far; with {@code keepPredictions}, also each image's top-1 prediction. The model is in evaluation
     * mode during the pass and gets its previous mode back afterwards.
     */
    @SuppressWarnings("try") // the noGrad scope is used for its effect, not referenced
    public static Evaluation run(Module model, DataLoader loader, int numClasses, IntConsumer imagesDone,
                                 boolean keepPredictions) {
        boolean wasTraining = model.isTraining();
        model.eval();
        CrossEntropyLoss crossEntropy = new CrossEntropyLoss();
        ConfusionMatrix confusion = new ConfusionMatrix(numClasses);
        int total = loader.dataset().size();
        int[] trueClasses = keepPredictions ? new int[total] : null;
        int[] predicted = keepPredictions ? new int[total] : null;
        double[] probability = keepPredictions ? new double[total] : null;
        double lossSum = 0;
        long topK = 0;
        int seen = 0;
        try (var scope = Autograd.noGrad()) {
            for (Batch batch : loader.epoch(0)) {
                Variable logits = model.forward(new Variable(batch.images()));
                lossSum += crossEntropy.forward(logits, batch.labels()).item() * batch.size();
                float[] z = logits.data().toFloatArray();
                int[] labels = batch.labels();
                for (int i = 0; i < labels.length; i++) {
                    boolean nan = hasNaN(z, i * numClasses, numClasses);
                    int best = nan ? -1 : argmax(z, i * numClasses, numClasses);
                    if (keepPredictions) {
                        trueClasses[seen + i] = labels[i];
                        predicted[seen + i] = best;
                        probability[seen + i] = nan ? Double.NaN : softmaxAt(z, i * numClasses, numClasses, best);
                    }
                    if (nan) {
                        continue;
                    }
                    confusion.add(labels[i], best);
                    if (rank(z, i * numClasses, numClasses, labels[i]) < TOP_K) {
                        topK++;
                    }
                }
                seen += batch.size();
                imagesDone.accept(seen);
            }
        } finally {
            model.train(wasTraining);
        }
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += confusion.count(c, c);
        }
        SamplePredictions kept = keepPredictions ? new SamplePredictions(Arrays.copyOf(trueClasses, seen),
                Arrays.copyOf(predicted, seen), Arrays.copyOf(probability, seen)) : null;
        return new Evaluation(seen, lossSum / seen, correct, topK, confusion, loader.dataset().classNames(), kept);
    }

    /** softmax(z[from .. from + n))[c] in double: 1 / Σ_j exp(z_j - z_c). */
    private static double softmaxAt(float[] z, int from, int n, int c) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp((double) z[from + j] - z[from + c]);
        }
        return 1 / sum;
    }

    /**
     * The first value of {@code state} that is NaN or infinite, as "NAME contains VALUE (element I of N)";
     * null if every value is finite.
     */
    public static String nonFiniteValue(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            float[] values = e.getValue().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return e.getKey() + " contains " + values[i] + " (element " + i + " of " + values.length + ")";
                }
            }
        }
        return null;
    }

    private static boolean hasNaN(float[] z, int from, int n) {
        for (int c = 0; c < n; c++) {
            if (Float.isNaN(z[from + c])) {
                return true;
            }
        }
        return false;
    }

    /** The index of the largest of {@code z[from .. from + n)}, the first one among equals. */
    static int argmax(float[] z, int from, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (z[from + c] > z[from + best]) {
                best = c;
            }
        }
        return best;
    }

    /** How many classes rank above {@code target}: larger logits, or equal ones with a smaller number. */
    private static int rank(float[] z, int from, int n, int target) {
        float t = z[from + target];
        int above = 0;
        for (int c = 0; c < n; c++) {
            if (z[from + c] > t || (z[from + c] == t && c < target)) {
                above++;
            }
        }
        return above;
    }
}
