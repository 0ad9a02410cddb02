package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.models.app.cli.Cli.vista;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.attention.AttentionMap;
import vista.models.app.attention.AttentionPicture;
import vista.models.app.attention.PixelAttention;
import vista.models.app.cli.Cli.Outcome;
import vista.models.app.train.SmallDataSets;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;
import vista.tensor.kernels.LocalSelfAttentionReference;

/**
 * {@code vista attention} on a tiny trained sasa-resnet26-mini (16x16 striped images: its attention runs
 * on 16x16, 8x8 and 4x4 maps, with 4 heads and a 7x7 window) and a tiny resnet26-mini.
 */
class AttentionCommandTest {
    private static final Pattern HEAD = Pattern.compile("  head (\\d)   (.*)");
    private static final Pattern NEIGHBOUR = Pattern.compile("\\(([+-]\\d+), ([+-]\\d+)\\) (\\d\\.\\d{3})");

    @TempDir
    static Path tmp;
    private static Path data;
    private static Path sasa;
    private static Path convolutional;

    @BeforeAll
    static void trainTinyRuns() throws IOException {
        data = SmallDataSets.stripes(tmp.resolve("data"), 64, 16, 16);
        sasa = train("sasa-resnet26-mini", "32");
        convolutional = train("resnet26-mini", "16");
    }

    private static Path train(String model, String limitTrain) {
        Path run = tmp.resolve(model);
        Outcome trained = vista("train", "--model", model, "--data", data.toString(), "--limit-train", limitTrain,
                "--limit-test", "16", "--epochs", "1", "--batch", "16", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        return run.resolve("checkpoint.vckp");
    }

    @Test
    void drawsAPanelPerHeadAndPrintsEachHeadsStrongestNeighbours() throws IOException {
        Path png = tmp.resolve("pictures/of/layer3.png");
        Outcome outcome = vista("attention", "--checkpoint", sasa.toString(), "--image", "3", "--pixel", "5,11",
                "--layer", "layer3.0.conv2", "--out", png.toString());
        assertEquals(0, outcome.status(), outcome::toString);
        String out = outcome.out();
        assertTrue(out.startsWith("Wrote " + png + ": the 4 heads of layer3.0.conv2, LocalSelfAttention2d(64->64, "
                + "heads=4, k=7, scaled logits, stride=2)."), out);
        assertTrue(out.contains("Image 3 of Fashion-MNIST test (Dress; the model predicts "), out);
        assertTrue(out.contains("Pixel (5, 11) of the 16 x 16 image lies in cell (2, 5) of the layer's 8 x 8 map, "
                + "which covers image rows 4 to 5 and columns 10 to 11."), "a stride-2 stage sees 8x8 cells of 2x2: " + out);

        BufferedImage picture = ImageIO.read(png.toFile());
        assertNotNull(picture, "a PNG ImageIO reads");
        int side = 16 * AttentionPicture.scale(16, 16);
        assertEquals(224, side);
        assertEquals(4 * side + 3 * 12, picture.getWidth(), "four panels, 12 pixels apart");
        assertEquals(22 + side + 26, picture.getHeight(), "title strip, image, colour bar");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temporary file left behind");
        }

        List<Matcher> heads = out.lines().map(HEAD::matcher).filter(Matcher::matches).toList();
        assertEquals(4, heads.size(), out);
        for (int h = 0; h < 4; h++) {
            assertEquals(String.valueOf(h + 1), heads.get(h).group(1));
            Matcher neighbour = NEIGHBOUR.matcher(heads.get(h).group(2));
            double previous = 1;
            double sum = 0;
            int listed = 0;
            while (neighbour.find()) {
                assertTrue(Math.abs(Integer.parseInt(neighbour.group(1))) <= 3
                        && Math.abs(Integer.parseInt(neighbour.group(2))) <= 3, "an offset inside the 7x7 window");
                double weight = Double.parseDouble(neighbour.group(3));
                assertTrue(weight <= previous && weight >= 0.001, "largest first, none shown as 0: " + heads.get(h).group(0));
                previous = weight;
                sum += weight;
                listed++;
            }
            assertTrue(listed >= 1 && listed <= 3, heads.get(h).group(0));
            assertTrue(sum <= 1.0015, "part of a softmax: " + heads.get(h).group(0));
        }
    }

    @Test
    void capturedWeightsAreTheSoftmaxOfTheLayersQueriesAndKeysAtTheCellUnderThePixel() throws IOException {
        record Look(String layer, int row, int column) {
        }
        for (Look look : List.of(new Look(null, 0, 1), new Look("layer3.0.conv2", 15, 9),
                new Look("layer4.0.conv2", 6, 13))) {
            PixelAttention seen = (PixelAttention) AttentionMap.write(AttentionMap.Request.checkpoint(sasa, null, 5,
                    look.row(), look.column(), look.layer(), tmp.resolve("direct.png")), new PrintWriter(new StringWriter()));
            LocalSelfAttention2d layer = seen.layer();
            int mapSide = seen.mapHeight();
            assertEquals(look.row() * mapSide / 16, seen.cellRow());
            assertEquals(look.column() * mapSide / 16, seen.cellColumn());

            Tensor x = seen.layerInput().to(DType.FLOAT64);
            ConvGeometry pointwise = ConvGeometry.convolution(layer.inChannels(), layer.outChannels(), 1).build();
            Tensor p = LocalSelfAttentionReference.forward(
                    ConvolutionKernels.forward(x, layer.queryProjection().weight().data(), null, pointwise),
                    ConvolutionKernels.forward(x, layer.keyProjection().weight().data(), null, pointwise),
                    ConvolutionKernels.forward(x, layer.valueProjection().weight().data(), null, pointwise),
                    layer.relRow().data().to(DType.FLOAT64), layer.relColumn().data().to(DType.FLOAT64),
                    layer.window()).weights();
            int k = seen.kernelSize();
            String where = seen.layerName() + " at pixel (" + look.row() + ", " + look.column() + ")";
            for (int head = 0; head < seen.heads(); head++) {
                double[] expected = new double[k * k];
                for (int n = 0; n < k * k; n++) {
                    expected[n] = p.get(0, head, n, seen.cellRow(), seen.cellColumn());
                    if (!seen.onMap(n / k, n % k)) {
                        assertEquals(0, seen.weights()[head][n], "masked: " + where);
                    }
                }
                assertArrayEquals(expected, toDoubles(seen.weights()[head]), 1e-5, where);
                assertEquals(1, seen.weightOnMap(head), 1e-5, "a softmax over the neighbours on the map: " + where);
            }
        }
    }

    @Test
    void rejectsWhatItCannotShowWithAMessage() {
        String png = tmp.resolve("rejected.png").toString();
        Outcome outside = vista("attention", "--checkpoint", sasa.toString(), "--pixel", "16,3", "--out", png);
        assertEquals(1, outside.status(), outside::toString);
        assertEquals("vista attention: pixel (16, 3) is outside the 16 x 16 image (rows 0 to 15, columns 0 to 15)\n",
                outside.err());

        Outcome layer = vista("attention", "--checkpoint", sasa.toString(), "--layer", "layer1.0.conv1", "--out", png);
        assertEquals(1, layer.status(), layer::toString);
        assertEquals("vista attention: sasa-resnet26-mini has no attention layer named 'layer1.0.conv1'; its attention "
                + "layers are: layer1.0.conv2, layer2.0.conv2, layer2.1.conv2, layer3.0.conv2, layer3.1.conv2, "
                + "layer3.2.conv2, layer3.3.conv2, layer4.0.conv2\n", layer.err());

        Outcome image = vista("attention", "--checkpoint", sasa.toString(), "--image", "16", "--out", png);
        assertEquals(1, image.status(), image::toString);
        assertEquals("vista attention: image 16 is outside Fashion-MNIST test (16 images: 0 to 15)\n", image.err());

        Outcome convolution = vista("attention", "--checkpoint", convolutional.toString(), "--out", png);
        assertEquals(1, convolution.status(), convolution::toString);
        assertEquals("vista attention: this checkpoint's model, resnet26-mini, has no attention layers; look at a"
                + " sasa-* or san* model\n", convolution.err());

        Outcome channel = vista("attention", "--checkpoint", sasa.toString(), "--channel", "1", "--out", png);
        assertEquals(1, channel.status(), channel::toString);
        assertEquals("vista attention: --channel chooses a weight channel of a SAN block; sasa-resnet26-mini is a SASA"
                + " model, whose picture has a panel per head\n", channel.err());

        Outcome both = vista("attention", "--checkpoint", sasa.toString(), "--weights", sasa.toString(), "--out", png);
        assertEquals(2, both.status(), both::toString);

        Path none = tmp.resolve("none.vckp");
        Outcome missing = vista("attention", "--checkpoint", none.toString(), "--out", png);
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().startsWith("vista attention: ") && missing.err().contains(none.toString()),
                missing::toString);

        Outcome malformed = vista("attention", "--checkpoint", sasa.toString(), "--pixel", "3;4", "--out", png);
        assertEquals(2, malformed.status(), malformed::toString);
        assertTrue(malformed.err().startsWith("vista attention: --pixel takes ROW,COL, two whole numbers from 0 "
                + "(for example 14,9), got '3;4'."), malformed::toString);

        assertTrue(Files.notExists(Path.of(png)), "nothing written on an error");
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
