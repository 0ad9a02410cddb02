package vista.models.app.predict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.DataFileException;
import vista.data.ImageFolder;
import vista.data.Preprocess;
import vista.models.app.train.DataFacts;
import vista.models.app.train.FolderData;
import vista.models.app.train.RunCheckpoint;
import vista.models.app.train.TrainConfig;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.WeightFiles;
import vista.tensor.Rng;
import vista.tensor.Shape;

/**
 * A model in evaluation mode with the way its images are prepared and the names of its classes.
 *
 * <ul>
 *   <li>From a checkpoint of {@code vista train}: the model, the data's geometry and normalisation and the
 *       class names (key {@code class_names}; absent in older checkpoints, then classes are numbered) that
 *       the checkpoint records; images of a run on an image folder with {@code preprocess=imagenet} get that
 *       recipe, all others must have the run's image size.</li>
 *   <li>From released weights of a zoo model: models made for ImageNet (3 x 224 x 224) get torchvision's
 *       ImageNet evaluation recipe ({@link ImageInput#imagenet()}); single-channel models (Fashion-MNIST)
 *       take grey images of their own size normalised as Fashion-MNIST; other models need a checkpoint,
 *       since a weight file records no normalisation.</li>
 * </ul>
 *
 * @param model      the model, in evaluation mode
 * @param input      how its images are prepared
 * @param classNames the name of each class, or empty to number them
 * @param classes    the model's classes
 */
public record Predictor(Module model, ImageInput input, List<String> classNames, int classes) {
    private static final Shape IMAGENET = Shape.of(3, 224, 224);

    public Predictor {
        classNames = List.copyOf(classNames);
        model.eval();
    }

    /**
     * The model of {@code checkpoint}, a checkpoint of {@code vista train}.
     *
     * @throws IOException naming the file if it cannot be read or is not a checkpoint of vista train
     */
    public static Predictor fromCheckpoint(Path checkpoint) throws IOException {
        RunCheckpoint run = RunCheckpoint.read(checkpoint);
        TrainConfig config = run.config();
        DataFacts facts = run.facts();
        Module model = run.model();
        boolean imagenet = FolderData.isFolderSpec(config.data())
                && FolderData.parse(config.data()).preprocess() == Preprocess.IMAGENET;
        ImageInput input = imagenet ? ImageInput.imagenet() : new ImageInput(facts.channels() == 1
                ? ImageFolder.Options.grayscale() : ImageFolder.Options.rgb(), facts.height(), facts.width(),
                facts.normalize());
        return new Predictor(model, input, facts.classNames(), facts.numClasses());
    }

    /**
     * The zoo model {@code name} with {@code classes} outputs (null: its data set's, 1000 for ImageNet
     * models, else 10) and the weights of {@code weights} (any format {@link WeightFiles} reads).
     *
     * @throws IOException naming the file if the weights cannot be read or do not fit the model
     * @throws IllegalArgumentException if the model is unknown or its images' normalisation is not known
     */
    public static Predictor fromWeights(String name, AttentionRecipe recipe, Path weights, Integer classes)
            throws IOException {
        if (!ModelZoo.names().contains(name)) {
            throw new IllegalArgumentException("unknown model " + name + "; the models are " + ModelZoo.names());
        }
        Shape image = ModelZoo.defaultImage(name);
        ImageInput input;
        if (image.equals(IMAGENET)) {
            input = ImageInput.imagenet();
        } else if (image.dim(0) == 1 && image.dim(1) == image.dim(2)) {
            input = ImageInput.fashionMnist(image.dim(1));
        } else {
            throw new IllegalArgumentException(name + " is made for " + image.dim(0) + " x " + image.dim(1) + " x "
                    + image.dim(2) + " images, whose normalisation a weight file does not record; predict with"
                    + " --checkpoint RUN/checkpoint.vckp of a vista train run instead");
        }
        int numClasses = classes == null ? ModelZoo.defaultClasses(name) : classes;
        Module model = ModelZoo.create(name, new ModelZoo.Request(image.dim(0), numClasses, new Rng(0), recipe));
        WeightFiles.load(model, weights);
        return new Predictor(model, input, List.of(), numClasses);
    }

    /**
     * This predictor with the class names of {@code labels}, a UTF-8 text file with one name per line in
     * class order (a last empty line is ignored).
     *
     * @throws DataFileException naming the file if it cannot be read or has not one name per class
     */
    public Predictor withLabels(Path labels) throws DataFileException {
        List<String> names;
        try {
            names = new ArrayList<>(Files.readAllLines(labels, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DataFileException(labels, "cannot be read as UTF-8 text (" + e.getMessage() + ")", e);
        }
        if (!names.isEmpty() && names.getLast().isEmpty()) {
            names.removeLast();
        }
        if (names.size() != classes) {
            throw new DataFileException(labels, "has " + names.size() + " lines, but the model has " + classes
                    + " classes; give one class name per line, in class order");
        }
        return new Predictor(model, input, names, classes);
    }

    /**
     * The {@code k} most probable classes of the image in {@code file}.
     *
     * @throws DataFileException naming the file if it cannot be decoded or has the wrong size
     * @throws IllegalStateException naming the file if the model's logits are not finite
     */
    @SuppressWarnings("try") // the noGrad scope is used for its effect, not referenced
    public Prediction predict(Path file, int k) throws DataFileException {
        float[] logits;
        try (var scope = Autograd.noGrad()) {
            logits = model.forward(new Variable(input.read(file))).data().toFloatArray();
        }
        for (float z : logits) {
            if (!Float.isFinite(z)) {
                throw new IllegalStateException(file + ": the model's logits for this image are not finite (" + z
                        + "), so no class is ranked; check the weights");
            }
        }
        return Prediction.of(file, logits, classNames, k);
    }
}
