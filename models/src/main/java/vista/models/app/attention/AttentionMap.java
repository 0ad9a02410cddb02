package vista.models.app.attention;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import vista.data.Dataset;
import vista.data.FloatImage;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.TrainingData;
import vista.models.zoo.ModelZoo;
import vista.models.zoo.san.San;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * The work of {@code vista attention}: rebuilds a checkpoint's model (as {@code vista eval} does), runs
 * it on one test image prepared as in training (the run's normalisation), captures the attention
 * weights of one layer at one pixel ({@link PixelAttention}), writes their {@link AttentionPicture} and
 * prints the file, the layer, the feature cell and each head's strongest neighbours.
 */
public final class AttentionMap {
    /** How many neighbours per head the printout lists. */
    private static final int LISTED = 3;

    private AttentionMap() {
    }

    /**
     * What to look at.
     *
     * @param checkpoint a checkpoint of {@code vista train}
     * @param data       the data set ({@link TrainingData}), or null for the one the run trained on
     * @param image      the index of the image in the test split
     * @param row        the pixel's row, or null for the middle row
     * @param column     the pixel's column, or null for the middle column
     * @param layer      the attention layer's module path, or null for the model's first attention layer
     * @param out        the PNG file to write
     */
    public record Request(Path checkpoint, String data, int image, Integer row, Integer column, String layer,
                          Path out) {
    }

    /**
     * Writes the picture of {@code request} and prints what it shows to {@code out}; returns the
     * attention drawn.
     *
     * @throws IOException if the checkpoint or the data cannot be read or the picture cannot be written
     * @throws IllegalArgumentException if the model is a SAN (whose attention is not drawn yet) or has no
     *     attention layer of that name (or none at all), the image or the pixel does not exist, or the data
     *     does not fit the model
     */
    public static PixelAttention write(Request request, PrintWriter out) throws IOException {
        Checkpoint saved = Checkpoint.read(request.checkpoint());
        TrainConfig config;
        DataFacts facts;
        try {
            config = TrainConfig.fromMap(saved.config());
            facts = DataFacts.fromMap(saved.config());
        } catch (IllegalArgumentException e) {
            throw new IOException(request.checkpoint() + " is not a checkpoint of vista train: " + e.getMessage(), e);
        }
        Module model = ModelZoo.create(config.model(),
                new ModelZoo.Request(facts.channels(), facts.numClasses(), new Rng(config.seed()).split("init")));
        model.loadStateDict(saved.model());
        if (model instanceof San) {
            throw new IllegalArgumentException("this checkpoint's model, " + config.model() + ", is a SAN, and SAN's"
                    + " attention maps are not drawn yet: vista attention draws the SASA layers of sasa-* models");
        }
        Map<String, LocalSelfAttention2d> layers = PixelAttention.attentionLayers(model);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("this checkpoint's model, " + config.model() + ", has no attention "
                    + "layers; train a sasa-* model");
        }
        String layerName = request.layer() == null ? layers.keySet().iterator().next() : request.layer();
        LocalSelfAttention2d layer = layers.get(layerName);
        if (layer == null) {
            throw new IllegalArgumentException(config.model() + " has no attention layer named '" + layerName
                    + "'; its attention layers are: " + String.join(", ", layers.keySet()));
        }

        Dataset test = TrainingData.loadTest(request.data() == null ? config.data() : request.data(), 0);
        String mismatch = facts.mismatch(test);
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch + "; look at data of the same kind (--data)");
        }
        if (request.image() < 0 || request.image() >= test.size()) {
            throw new IllegalArgumentException("image " + request.image() + " is outside " + test.name() + " ("
                    + test.size() + " images: 0 to " + (test.size() - 1) + ")");
        }
        int row = request.row() == null ? test.height() / 2 : request.row();
        int column = request.column() == null ? test.width() / 2 : request.column();
        PixelAttention.Observation seen = PixelAttention.observe(model, layerName, layer,
                prepared(test, request.image(), facts), row, column);
        PixelAttention attention = seen.attention();
        AttentionPicture.writePng(AttentionPicture.draw(test.pixels(request.image()), test.channels(), attention),
                request.out());
        print(out, request, test, attention, predicted(seen.output()));
        return attention;
    }

    /** Test image {@code index} as the model saw it in training: [0, 1] pixels, normalised, {@code (1, C, H, W)}. */
    private static Tensor prepared(Dataset test, int index, DataFacts facts) {
        float[] pixels = new float[test.sampleSize()];
        test.copyAsFloats(index, pixels, 0);
        facts.normalize().apply(FloatImage.of(pixels, test.channels(), test.height(), test.width()), new Rng(0));
        return Tensor.fromArray(pixels, 1, test.channels(), test.height(), test.width());
    }

    private static int predicted(Tensor logits) {
        return (int) logits.argmax(1, false).get(0);
    }

    private static void print(PrintWriter out, Request request, Dataset test, PixelAttention a, int predicted) {
        int k = a.kernelSize();
        List<String> classes = test.classNames();
        out.printf(Locale.ROOT, "Wrote %s: the %d heads of %s, %s.%n", request.out(), a.heads(), a.layerName(),
                a.layer());
        out.printf(Locale.ROOT, "Image %d of %s (%s; the model predicts %s).%n", request.image(), test.name(),
                classes.get(test.label(request.image())), classes.get(predicted));
        out.printf(Locale.ROOT, "Pixel (%d, %d) of the %d x %d image lies in cell (%d, %d) of the layer's %d x %d "
                + "map, which covers image %s and %s.%n", a.row(), a.column(), a.imageHeight(),
                a.imageWidth(), a.cellRow(), a.cellColumn(), a.mapHeight(), a.mapWidth(),
                span("row", a.firstImageRow(a.cellRow()), a.firstImageRow(a.cellRow() + 1)),
                span("column", a.firstImageColumn(a.cellColumn()), a.firstImageColumn(a.cellColumn() + 1)));
        out.printf(Locale.ROOT, "Strongest neighbours in its %d x %d window, at (rows, columns) from the cell "
                + "(at most %d, of weight 0.001 or more):%n", k, k, LISTED);
        for (int head = 0; head < a.heads(); head++) {
            String strongest = a.strongest(head, LISTED).stream().filter(n -> n.weight() >= 0.0005)
                    .map(n -> String.format(Locale.ROOT, "(%+d, %+d) %.3f", n.rowOffset(), n.columnOffset(), n.weight()))
                    .collect(Collectors.joining("   "));
            double outside = 1 - a.weightOnMap(head);
            out.printf(Locale.ROOT, "  head %d   %s%s%n", head + 1, strongest,
                    outside > 5e-4 ? String.format(Locale.ROOT, "   (%.3f outside the map)", outside) : "");
        }
        out.flush();
    }

    /** The {@code what}s {@code from} to {@code to - 1}, as "row 5" or "rows 4 to 7". */
    private static String span(String what, int from, int to) {
        return to - from == 1 ? what + " " + from : what + "s " + from + " to " + (to - 1);
    }
}
