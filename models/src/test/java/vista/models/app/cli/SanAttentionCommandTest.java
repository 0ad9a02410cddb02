package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.models.app.cli.Cli.vista;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.attention.AttentionMap;
import vista.models.app.attention.AttentionPicture;
import vista.models.app.attention.SanPixelWeights;
import vista.models.app.cli.Cli.Outcome;
import vista.models.app.train.SmallDataSets;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;

/**
 * {@code vista attention} on SAN: untrained san10-pairwise-mini and san10-patchwise-mini checkpoints (16x16
 * striped images; a 7x7 footprint with reflection padding from stage 1 on).
 */
class SanAttentionCommandTest {
    private static final Pattern GROUP = Pattern.compile("  group (\\d+)   .*   sum (\\d\\.\\d{4}).*");

    @TempDir
    static Path tmp;
    private static Path data;
    private static Path pairwise;
    private static Path patchwise;

    @BeforeAll
    static void writeCheckpoints() throws IOException {
        data = SmallDataSets.stripes(tmp.resolve("data"), 16, 8, 16);
        pairwise = Checkpoints.write(tmp.resolve("pairwise.vckp"), "san10-pairwise-mini", data, 16, state -> state);
        patchwise = Checkpoints.write(tmp.resolve("patchwise.vckp"), "san10-patchwise-mini", data, 16, state -> state);
    }

    @Test
    void pairwiseDrawsAPanelPerGroupWhoseWeightsSumToOne() throws IOException {
        Path png = tmp.resolve("pairwise.png");
        Outcome outcome = vista("attention", "--checkpoint", pairwise.toString(), "--layer", "layer2.0.sam",
                "--image", "2", "--pixel", "7,4", "--out", png.toString());
        assertEquals(0, outcome.status(), outcome::toString);
        String out = outcome.out();
        assertTrue(out.startsWith("Wrote " + png + ": the softmax weights of all 4 weight-channel groups of"
                + " layer2.0.sam, PairwiseSelfAttention2d("), out);
        List<Matcher> groups = out.lines().map(GROUP::matcher).filter(Matcher::matches).toList();
        assertEquals(4, groups.size(), out);
        for (Matcher group : groups) {
            assertEquals(1.0, Double.parseDouble(group.group(2)), 1e-4, "a softmax over the footprint: " + group.group(0));
        }
        BufferedImage picture = ImageIO.read(png.toFile());
        int side = 16 * AttentionPicture.scale(16, 16);
        assertEquals(4 * side + 3 * 12, picture.getWidth(), "a panel per group");
        assertEquals(22 + side + 26, picture.getHeight());

        SanPixelWeights seen = (SanPixelWeights) AttentionMap.write(new AttentionMap.Request(pairwise, null, null, null, null,
                2, 7, 4, "layer2.0.sam", null, tmp.resolve("direct.png")), new PrintWriter(new StringWriter()));
        assertEquals(4, seen.mapHeight(), "stage 2 of the mini SAN runs on a quarter of the side");
        assertEquals(7 * 4 / 16, seen.cellRow());
        for (int g = 0; g < seen.weightChannels(); g++) {
            double sum = 0;
            for (float w : seen.alpha()[g]) {
                assertTrue(w >= 0 && w <= 1, "a softmax weight: " + w);
                sum += w;
            }
            assertEquals(1, sum, 1e-5, "group " + g);
        }
    }

    @Test
    void patchwiseDrawsTheNormOfEachNeighboursWeightsOrOneChannel() throws IOException {
        Path png = tmp.resolve("patchwise.png");
        Outcome norm = vista("attention", "--checkpoint", patchwise.toString(), "--layer", "layer1.0.sam",
                "--out", png.toString());
        assertEquals(0, norm.status(), norm::toString);
        assertTrue(norm.out().contains("the norm of each neighbour's 2 weights of layer1.0.sam,"
                + " PatchwiseSelfAttention2d("), norm::toString);
        assertTrue(norm.out().contains("  norm   ("), norm::toString);
        int side = 16 * AttentionPicture.scale(16, 16);
        BufferedImage picture = ImageIO.read(png.toFile());
        assertEquals(side, picture.getWidth(), "one panel");
        assertEquals(22 + side + 26 + 18, picture.getHeight(), "a narrow picture has the outlines' legend on a line"
                + " of its own");

        SanPixelWeights seen = (SanPixelWeights) AttentionMap.write(new AttentionMap.Request(patchwise, null, null, null,
                null, 0, 8, 8, "layer1.0.sam", null, png), new PrintWriter(new StringWriter()));
        float[] norms = seen.panel(0);
        for (int n = 0; n < norms.length; n++) {
            double expected = Math.hypot(seen.alpha()[0][n], seen.alpha()[1][n]);
            assertEquals(expected, norms[n], 1e-6, "neighbour " + n);
        }
        SanPixelWeights one = (SanPixelWeights) AttentionMap.write(new AttentionMap.Request(patchwise, null, null, null,
                null, 0, 8, 8, "layer1.0.sam", 1, png), new PrintWriter(new StringWriter()));
        assertArrayEquals(seen.alpha()[1], one.panel(0));

        Outcome missing = vista("attention", "--checkpoint", patchwise.toString(), "--layer", "layer1.0.sam",
                "--channel", "2", "--out", png.toString());
        assertEquals(1, missing.status(), missing::toString);
        assertEquals("vista attention: layer1.0.sam has 2 weight channels (0 to 1), so --channel 2 does not exist\n",
                missing.err());
    }

    @Test
    void drawsReleasedWeightsOfAZooModel() throws IOException {
        Path weights = tmp.resolve("pairwise.safetensors");
        Safetensors.write(weights, Checkpoint.read(pairwise).model(), Map.of());
        Path png = tmp.resolve("released.png");
        Outcome outcome = vista("attention", "--weights", weights.toString(), "--model", "san10-pairwise-mini",
                "--data", data.toString(), "--layer", "layer2.0.sam", "--image", "2", "--pixel", "7,4",
                "--out", png.toString());
        assertEquals(0, outcome.status(), outcome::toString);
        assertTrue(outcome.out().startsWith("Wrote " + png + ": the softmax weights of all 4 weight-channel groups of"
                + " layer2.0.sam"), outcome::toString);
        List<Matcher> groups = outcome.out().lines().map(GROUP::matcher).filter(Matcher::matches).toList();
        assertEquals(4, groups.size(), outcome::toString);
        for (Matcher group : groups) {
            assertEquals("1.0000", group.group(2), group.group(0));
        }
        assertEquals(4 * 224 + 3 * 12, ImageIO.read(png.toFile()).getWidth());

        Outcome noModel = vista("attention", "--weights", weights.toString(), "--out", png.toString());
        assertEquals(2, noModel.status(), noModel::toString);
        assertTrue(noModel.err().contains("--weights needs --model NAME and --data DATA"), noModel::toString);
    }
}
