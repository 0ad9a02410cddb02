package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.attention.AttentionMap;
import vista.models.app.attention.PixelAttention;

/**
 * {@code vista attention}: where a trained model's attention looks from one pixel of one test image, as a
 * PNG (see {@link vista.models.app.attention.AttentionPicture}) and as text (each panel's strongest
 * neighbours): SASA's heads, or SAN's weights ({@link vista.models.app.attention.SanPixelWeights}: per
 * weight-channel group for pairwise blocks, the norm of each neighbour's weight vector or one channel for
 * patchwise ones). The model comes from a checkpoint, or from released weights ({@code --weights FILE
 * --model M --data D}). The work is {@link AttentionMap}; the mapping from image pixel to feature cell is
 * {@link PixelAttention}'s. Exit status 0, 1 when the model, the data, the layer, the channel, the image or
 * the pixel cannot be used, 2 for invalid options.
 */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw the attention weights of a trained sasa-* model (one panel per head) or san* model (pairwise:"
                + " one panel per weight-channel group; patchwise: the norm of each neighbour's weights, or one"
                + " --channel) over the neighbourhood of one pixel of a test image, as a PNG, and print the strongest"
                + " neighbours.",
            "A layer that sees an h x w feature map of the H x W image looks from the cell (ROW * h / H, COL * w / W),"
                + " rounded down; each cell covers a block of about H/h x W/w image pixels, and each neighbour's "
                + "weight is drawn over its block."})
final class AttentionCommand implements Callable<Integer> {
    private static final Pattern PIXEL = Pattern.compile("(\\d{1,9}),(\\d{1,9})");

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp) of a sasa-* or san* model.")
    Path checkpoint;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Instead of --checkpoint: weights of --model in any format Vista reads; needs --model and"
                    + " --data.")
    Path weights;

    @Option(names = "--model", paramLabel = "NAME", description = "With --weights: the zoo model the weights are for.")
    String model;

    @Option(names = "--image", defaultValue = "0", paramLabel = "I",
            description = "The index of the test image, from 0 (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(names = "--pixel", paramLabel = "ROW,COL",
            description = "A pixel of the input image, from 0,0 at the top left (default: the middle).")
    String pixel;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The attention layer, by module path, e.g. layer2.0.conv2 (default: the first one).")
    String layer;

    @Option(names = "--channel", paramLabel = "C",
            description = "SAN only: draw weight channel C (pairwise: that group; patchwise: that channel instead of"
                    + " the norm).")
    Integer channel;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    Path out;

    @Mixin
    DataOption data = new DataOption();

    @Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AttentionRecipeOption recipe = new AttentionRecipeOption();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Matcher rowColumn = pixel == null ? null : PIXEL.matcher(pixel.replace(" ", ""));
        String problem = UsageError.first(image < 0 ? "--image must be at least 0, got " + image + "." : null,
                rowColumn != null && !rowColumn.matches()
                        ? "--pixel takes ROW,COL, two whole numbers from 0 (for example 14,9), got '" + pixel + "'."
                        : null,
                sourceProblem(), channel != null && channel < 0 ? "--channel must be at least 0, got " + channel + "."
                        : null, outProblem(), threads.problem(), data.problem(), recipe.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        System.setProperty("java.awt.headless", "true");
        Integer row = rowColumn == null ? null : Integer.valueOf(rowColumn.group(1));
        Integer column = rowColumn == null ? null : Integer.valueOf(rowColumn.group(2));
        try {
            AttentionMap.write(new AttentionMap.Request(checkpoint, weights, model, recipe.recipe(), data.spec(), image,
                    row, column,
                    layer, channel, out), stdout);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            stdout.flush();
            err.println("vista attention: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** What is wrong with the choice of model, as a sentence, or null. */
    private String sourceProblem() {
        if ((checkpoint == null) == (weights == null)) {
            return "Give either --checkpoint FILE (a run of vista train) or --weights FILE with --model and --data.";
        }
        if (weights == null) {
            return model != null ? "--model goes with --weights; a checkpoint records its own model." : null;
        }
        return model == null || data.given == null ? "--weights needs --model NAME and --data DATA: a weight file"
                + " records neither its model nor the data it was trained on." : null;
    }

    /** What is wrong with {@code --out} before any work, as a sentence, or null: it must name a file. */
    private String outProblem() {
        if (out.toString().isEmpty()) {
            return "--out is empty; name the PNG file to write, e.g. --out attention.png.";
        }
        if (Files.isDirectory(out)) {
            return "--out " + out + " is a folder; name the PNG file to write in it, e.g. --out "
                    + out.resolve("attention.png") + ".";
        }
        return null;
    }
}
