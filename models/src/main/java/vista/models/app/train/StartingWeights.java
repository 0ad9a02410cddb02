package vista.models.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.WeightFiles;
import vista.nn.weights.torch.WeightFileException;
import vista.tensor.Tensor;

/**
 * Fine-tuning's start ({@code vista train --weights FILE}): the weights of a file, in any format
 * {@link WeightFiles} reads, replace a new model's random initialisation. Every entry must fit, as in
 * {@link Module#loadStateDict}, except that with {@code reinitHead} the classifier
 * ({@link ModelZoo#CLASSIFIER}) keeps its own random initialisation and the file's classifier is ignored:
 * the way to start from ImageNet weights on a data set of 10 classes. Without it, a classifier of another
 * number of classes is refused with a sentence that names both counts and the option.
 */
final class StartingWeights {
    private static final String HEAD = ModelZoo.CLASSIFIER + ".";

    private StartingWeights() {
    }

    /**
     * Loads {@code file} into {@code model}.
     *
     * @throws IOException naming the file if it cannot be read or its weights do not fit the model
     */
    static void load(Module model, Path file, boolean reinitHead) throws IOException {
        Map<String, Tensor> state = WeightFiles.stateDict(file);
        Map<String, Tensor> own = model.stateDict();
        if (reinitHead) {
            Map<String, Tensor> body = new LinkedHashMap<>();
            state.forEach((name, t) -> {
                if (!name.startsWith(HEAD)) {
                    body.put(name, t);
                }
            });
            own.forEach((name, t) -> {
                if (name.startsWith(HEAD)) {
                    body.put(name, t);
                }
            });
            state = body;
        } else {
            String weight = HEAD + "weight";
            Tensor theirs = state.get(weight);
            Tensor ours = own.get(weight);
            if (theirs != null && theirs.shape().rank() == 2 && !theirs.shape().equals(ours.shape())) {
                throw new WeightFileException(file.toString(), "its classifier " + weight + " has "
                        + theirs.shape().dim(0) + " classes, but the data has " + ours.shape().dim(0) + "; add"
                        + " --reinit-head to start the classifier afresh for the data's classes");
            }
        }
        WeightFiles.load(model, file.toString(), state);
    }
}
