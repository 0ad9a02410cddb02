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
 * {@code vista attention}: where a trained SASA model's attention looks from one pixel of one test
 * image, as a PNG (one panel per head, see {@link vista.models.app.attention.AttentionPicture}) and as text
 * (each head's strongest neighbours). The work is {@link AttentionMap}; the mapping from image pixel to
 * feature cell is {@link PixelAttention}'s. Exit status 0, 1 when the checkpoint, the data, the layer,
 * the image or the pixel cannot be used, 2 for invalid options.
 */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw the attention weights of each head of a trained sasa-* model over the neighbourhood "
                + "of one pixel of a test image, as a PNG, and print the strongest neighbours.",
            "A layer that sees an h x w feature map of the H x W image looks from the cell (ROW * h / H, COL * w / W),"
                + " rounded down; each cell covers a block of about H/h x W/w image pixels, and each neighbour's "
                + "weight is drawn over its block."})
final class AttentionCommand implements Callable<Integer> {
    private static final Pattern PIXEL = Pattern.compile("(\\d{1,9}),(\\d{1,9})");

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp) of a sasa-* model.")
    Path checkpoint;

    @Option(names = "--image", defaultValue = "0", paramLabel = "I",
            description = "The index of the test image, from 0 (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(names = "--pixel", paramLabel = "ROW,COL",
            description = "A pixel of the input image, from 0,0 at the top left (default: the middle).")
    String pixel;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The attention layer, by module path, e.g. layer2.0.conv2 (default: the first one).")
    String layer;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
    Path out;

    @Mixin
    DataOption data = new DataOption();

    @Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Matcher rowColumn = pixel == null ? null : PIXEL.matcher(pixel.replace(" ", ""));
        String problem = UsageError.first(image < 0 ? "--image must be at least 0, got " + image + "." : null,
                rowColumn != null && !rowColumn.matches()
                        ? "--pixel takes ROW,COL, two whole numbers from 0 (for example 14,9), got '" + pixel + "'."
                        : null,
                outProblem(), threads.problem(), data.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        threads.apply();
        System.setProperty("java.awt.headless", "true");
        Integer row = rowColumn == null ? null : Integer.valueOf(rowColumn.group(1));
        Integer column = rowColumn == null ? null : Integer.valueOf(rowColumn.group(2));
        try {
            AttentionMap.write(new AttentionMap.Request(checkpoint, data.spec(), image, row, column, layer, out), stdout);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            stdout.flush();
            err.println("vista attention: " + e.getMessage());
            err.flush();
            return 1;
        }
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
