package vista.models.app.cli;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.predict.Prediction;
import vista.models.app.predict.Predictor;
import vista.nn.inference.Folding;

/**
 * {@code vista predict}: the top classes of each image file, with their probabilities, from a checkpoint of
 * {@code vista train} or released weights of a zoo model ({@link Predictor} says how images are prepared).
 * Text: per image its path, then a line per class, {@code "  1.  81.23%  3 dress"}; {@code --json}: a list
 * with, per image, {@code image}, {@code top} ({@code class}, {@code name}, {@code probability}) and the
 * full {@code logits}. The model runs in its inference form (BatchNorm folded into the convolutions, ReLUs
 * and residual adds in their epilogues: {@code vista.nn.inference}) unless {@code --no-fold}. Exit status 0,
 * 1 when the weights, the labels or an image cannot be used, 2 for invalid options.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The top classes of image files, with their probabilities.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Option(names = "--model", paramLabel = "NAME", description = "Instead of --checkpoint: the zoo model of --weights.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "The weights of --model in any format Vista reads (PyTorch .pth/.pt, safetensors, Vista"
                    + " checkpoint), recognised by content.")
    Path weights;

    @Option(names = "--classes", paramLabel = "N",
            description = "With --weights: the model's classes (default: 1000 for ImageNet models, else 10).")
    Integer classes;

    @Option(names = "--no-fold",
            description = "Run the training graph in evaluation mode instead of the inference form (BatchNorm folded"
                    + " into the convolutions, ReLUs and residual adds in their epilogues), to check one against the"
                    + " other.")
    boolean noFold;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line in class order (default: those a checkpoint records, else"
                    + " class numbers).")
    Path labels;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K",
            description = "Classes shown per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ThreadsOption threads;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG).")
    List<Path> images;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What is wrong with the options, or null. */
    private String problem() {
        if ((checkpoint == null) == (weights == null && model == null)) {
            return "Give either --checkpoint FILE (a run of vista train) or --model NAME with --weights FILE.";
        }
        if (checkpoint == null && (model == null || weights == null)) {
            return "--model and --weights go together: a weight file does not record its model.";
        }
        if (checkpoint != null && classes != null) {
            return "--classes goes with --weights; a checkpoint records its classes.";
        }
        if (classes != null && classes < 1) {
            return "--classes must be at least 1, got " + classes + ".";
        }
        return top < 1 ? "--top must be at least 1, got " + top + "." : null;
    }

    @Mixin
    AttentionRecipeOption recipe = new AttentionRecipeOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(problem(), threads.problem(), recipe.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        try {
            Predictor predictor = checkpoint != null ? Predictor.fromCheckpoint(checkpoint)
                    : Predictor.fromWeights(model, recipe.recipe(), weights, classes);
            if (labels != null) {
                predictor = predictor.withLabels(labels);
            }
            if (!noFold) {
                predictor = new Predictor(Folding.fold(predictor.model()), predictor.input(), predictor.classNames(),
                        predictor.classes());
            }
            List<Map<String, Object>> all = new ArrayList<>();
            for (Path image : images) {
                Prediction p = predictor.predict(image, top);
                if (json.enabled) {
                    all.add(p.toJson());
                } else {
                    out.print(text(p));
                    out.flush();
                }
            }
            if (json.enabled) {
                out.println(new Gson().toJson(all));
            }
            out.flush();
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("vista predict: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static String text(Prediction p) {
        StringBuilder sb = new StringBuilder(p.image().toString()).append('\n');
        int rank = 1;
        for (Prediction.Ranked r : p.top()) {
            String label = r.name().equals(Integer.toString(r.index())) ? r.name() : r.index() + " " + r.name();
            sb.append(String.format(Locale.ROOT, "  %d. %7.2f%%  %s%n", rank++, 100 * r.probability(), label));
        }
        return sb.toString();
    }
}
