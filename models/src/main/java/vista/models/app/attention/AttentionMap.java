package vista.models.app.attention;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import vista.models.zoo.AttentionRecipe;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import vista.data.Dataset;
import vista.data.FloatImage;
import vista.data.Normalize;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.nn.san.SanSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The work of {@code vista attention}: builds the model ({@link AttentionModel}: a checkpoint, or released
 * weights of a zoo model), runs it on one test image prepared as in training, captures the weights of one
 * layer at one pixel (SASA: {@link PixelAttention}; SAN: {@link SanPixelWeights}), writes their
 * {@link AttentionPicture} and prints the file, the layer, the feature cell and each panel's strongest
 * neighbours (for SAN's pairwise blocks also each group's sum over the footprint, 1 for a softmax).
 */
public final class AttentionMap {
    /** How many neighbours per panel the printout lists. */
    private static final int LISTED = 3;

    private AttentionMap() {
    }

    /**
     * What to look at.
     *
     * @param checkpoint a checkpoint of {@code vista train}, or null with {@code weights}
     * @param weights    released weights of {@code model} (any format Vista reads), or null with a checkpoint
     * @param model      with {@code weights}: the zoo model they are for
     * @param data       the data set ({@code TrainingData}); null for a checkpoint's own (required with weights)
     * @param image      the index of the image in the test split
     * @param row        the pixel's row, or null for the middle row
     * @param column     the pixel's column, or null for the middle column
     * @param layer      the attention layer's module path, or null for the model's first attention layer
     * @param channel    SAN only: the weight channel to draw, or null (see {@link SanPixelWeights})
     * @param out        the PNG file to write
     */
    public record Request(Path checkpoint, Path weights, String model, AttentionRecipe recipe, String data, int image,
                          Integer row,
                          Integer column, String layer, Integer channel, Path out) {
        /** A request for a checkpoint's model. */
        public static Request checkpoint(Path checkpoint, String data, int image, Integer row, Integer column,
                String layer, Path out) {
            return new Request(checkpoint, null, null, null, data, image, row, column, layer, null, out);
        }
    }

    /**
     * Writes the picture of {@code request} and prints what it shows to {@code out}; returns the weights
     * drawn ({@link PixelAttention} for SASA, {@link SanPixelWeights} for SAN).
     *
     * @throws IOException if the model, the weights or the data cannot be read or the picture cannot be written
     * @throws IllegalArgumentException if the model has no attention layer of that name (or none at all), a
     *     channel is chosen for a SASA model or does not exist, the image or the pixel does not exist, or the
     *     data does not fit the model
     */
    public static WindowWeights write(Request request, PrintWriter out) throws IOException {
        AttentionModel loaded = request.weights() == null
                ? AttentionModel.fromCheckpoint(request.checkpoint(), request.data())
                : AttentionModel.fromWeights(request.weights(), request.model(), request.recipe(),
                        request.data());
        Map<String, LocalSelfAttention2d> sasa = PixelAttention.attentionLayers(loaded.model());
        Map<String, SanSelfAttention2d> san = SanPixelWeights.blocks(loaded.model());
        Map<String, ?> layers = sasa.isEmpty() ? san : sasa;
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("this " + (request.weights() == null ? "checkpoint's " : "") + "model, "
                    + loaded.name() + ", has no attention layers; look at a sasa-* or san* model");
        }
        String layerName = request.layer() == null ? layers.keySet().iterator().next() : request.layer();
        if (!layers.containsKey(layerName)) {
            throw new IllegalArgumentException(loaded.name() + " has no attention layer named '" + layerName
                    + "'; its attention layers are: " + String.join(", ", layers.keySet()));
        }
        if (!sasa.isEmpty() && request.channel() != null) {
            throw new IllegalArgumentException("--channel chooses a weight channel of a SAN block; " + loaded.name()
                    + " is a SASA model, whose picture has a panel per head");
        }
        Dataset test = loaded.test();
        if (request.image() < 0 || request.image() >= test.size()) {
            throw new IllegalArgumentException("image " + request.image() + " is outside " + test.name() + " ("
                    + test.size() + " images: 0 to " + (test.size() - 1) + ")");
        }
        int row = request.row() == null ? test.height() / 2 : request.row();
        int column = request.column() == null ? test.width() / 2 : request.column();
        Tensor image = prepared(test, request.image(), loaded.normalize());
        WindowWeights weights;
        Tensor output;
        String layerText;
        if (!sasa.isEmpty()) {
            PixelAttention.Observation seen = PixelAttention.observe(loaded.model(), layerName, sasa.get(layerName),
                    image, row, column);
            weights = seen.attention();
            output = seen.output();
            layerText = "the " + seen.attention().heads() + " heads of " + layerName + ", " + sasa.get(layerName);
        } else {
            SanPixelWeights.Observation seen = SanPixelWeights.observe(loaded.model(), layerName, san.get(layerName),
                    image, row, column, request.channel());
            weights = seen.weights();
            output = seen.output();
            layerText = sanPanels(seen.weights()) + " of " + layerName + ", " + san.get(layerName);
        }
        AttentionPicture.writePng(AttentionPicture.draw(test.pixels(request.image()), test.channels(), weights),
                request.out());
        printHeader(out, request, test, weights, layerText, predicted(output));
        if (weights instanceof SanPixelWeights s) {
            printSan(out, s);
        } else {
            printSasa(out, (PixelAttention) weights);
        }
        out.flush();
        return weights;
    }

    /** What the panels of a SAN picture show, as a phrase. */
    private static String sanPanels(SanPixelWeights w) {
        if (w.pairwise()) {
            return w.panels() == w.weightChannels()
                    ? "the softmax weights of all " + w.weightChannels() + " weight-channel groups"
                    : "the softmax weights of " + w.panels() + " of the " + w.weightChannels() + " weight-channel groups";
        }
        return w.channel() == null ? "the norm of each neighbour's " + w.weightChannels() + " weights"
                : "weight channel " + w.channel() + " of " + w.weightChannels();
    }

    /** Test image {@code index} as the model saw it in training: [0, 1] pixels, normalised, {@code (1, C, H, W)}. */
    private static Tensor prepared(Dataset test, int index, Normalize normalize) {
        float[] pixels = new float[test.sampleSize()];
        test.copyAsFloats(index, pixels, 0);
        normalize.apply(FloatImage.of(pixels, test.channels(), test.height(), test.width()), new Rng(0));
        return Tensor.fromArray(pixels, 1, test.channels(), test.height(), test.width());
    }

    private static int predicted(Tensor logits) {
        return (int) logits.argmax(1, false).get(0);
    }

    private static void printHeader(PrintWriter out, Request request, Dataset test, WindowWeights a, String layerText,
            int predicted) {
        List<String> classes = test.classNames();
        out.printf(Locale.ROOT, "Wrote %s: %s.%n", request.out(), layerText);
        out.printf(Locale.ROOT, "Image %d of %s (%s; the model predicts %s).%n", request.image(), test.name(),
                classes.get(test.label(request.image())), classes.get(predicted));
        out.printf(Locale.ROOT, "Pixel (%d, %d) of the %d x %d image lies in cell (%d, %d) of the layer's %d x %d "
                + "map, which covers image %s and %s.%n", a.row(), a.column(), a.imageHeight(),
                a.imageWidth(), a.cellRow(), a.cellColumn(), a.mapHeight(), a.mapWidth(),
                span("row", a.firstImageRow(a.cellRow()), a.firstImageRow(a.cellRow() + 1)),
                span("column", a.firstImageColumn(a.cellColumn()), a.firstImageColumn(a.cellColumn() + 1)));
    }

    private static void printSasa(PrintWriter out, PixelAttention a) {
        int k = a.kernelSize();
        out.printf(Locale.ROOT, "Strongest neighbours in its %d x %d window, at (rows, columns) from the cell "
                + "(at most %d, of weight 0.001 or more):%n", k, k, LISTED);
        for (int head = 0; head < a.heads(); head++) {
            double outside = 1 - a.weightOnMap(head);
            out.printf(Locale.ROOT, "  head %d   %s%s%n", head + 1, listed(a, head, 0.0005),
                    outside > 5e-4 ? String.format(Locale.ROOT, "   (%.3f outside the map)", outside) : "");
        }
    }

    private static void printSan(PrintWriter out, SanPixelWeights a) {
        int k = a.kernelSize();
        if (a.pairwise()) {
            out.printf(Locale.ROOT, "Strongest neighbours in its %d x %d footprint, at (rows, columns) from the cell"
                    + " (at most %d, of weight 0.001 or more), and each group's sum over the footprint:%n", k, k, LISTED);
            int[] groups = a.drawnChannels();
            for (int p = 0; p < groups.length; p++) {
                double beyond = a.beyondBorder(p);
                out.printf(Locale.ROOT, "  group %d   %s   sum %.4f%s%n", groups[p], listed(a, p, 0.0005),
                        a.footprintSum(p), beyond > 5e-4
                                ? String.format(Locale.ROOT, " (%.3f on positions beyond the border, which read"
                                        + " reflected pixels)", beyond) : "");
            }
            if (groups.length < a.weightChannels()) {
                out.printf(Locale.ROOT, "  (groups %d to %d not shown; choose one with --channel C)%n", groups.length,
                        a.weightChannels() - 1);
            }
        } else {
            out.printf(Locale.ROOT, "Largest %s in its %d x %d footprint, at (rows, columns) from the cell (at most %d;"
                    + " patchwise weights are not normalised):%n", a.channel() == null ? "norms" : "weights", k, k,
                    LISTED);
            out.printf(Locale.ROOT, "  %s   %s%n", a.channel() == null ? "norm" : "channel " + a.channel(),
                    listed(a, 0, Double.NEGATIVE_INFINITY));
        }
    }

    /** Panel {@code p}'s strongest neighbours of at least {@code least}, as "(+0, +1) 0.421   (-1, +0) 0.100". */
    private static String listed(WindowWeights a, int p, double least) {
        return a.strongest(p, LISTED).stream().filter(n -> n.weight() >= least)
                .map(n -> String.format(Locale.ROOT, "(%+d, %+d) %.3f", n.rowOffset(), n.columnOffset(), n.weight()))
                .collect(Collectors.joining("   "));
    }

    /** The {@code what}s {@code from} to {@code to - 1}, as "row 5" or "rows 4 to 7". */
    private static String span(String what, int from, int to) {
        return to - from == 1 ? what + " " + from : what + "s " + from + " to " + (to - 1);
    }
}
