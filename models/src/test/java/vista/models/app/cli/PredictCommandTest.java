package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.autograd.Variable;
import vista.data.FashionMnist;
import vista.models.app.train.DataFacts;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * {@code vista predict}: per image the top classes with the softmax probabilities of the logits the model
 * gives for the image prepared as its data was, named by the checkpoint's classes or {@code --labels}; bad
 * images, labels and options are refused naming what is wrong.
 */
class PredictCommandTest {
    @TempDir
    static Path tmp;
    static Path checkpoint;
    static Path stripes;
    static Path rgb28;

    @BeforeAll
    static void train() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 20, 16);
        Path run = tmp.resolve("run");
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "1", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        checkpoint = run.resolve(RunDirectory.CHECKPOINT);
        stripes = png(tmp.resolve("stripes.png"), 16, 16, (x, y) -> y % 4 < 2 ? 0xFFFFFF : 0x202020);
        rgb28 = png(tmp.resolve("colour.png"), 28, 28, (x, y) -> (x * 9) << 16 | (y * 9) << 8 | 0x40);
    }

    interface Pixels {
        int rgb(int x, int y);
    }

    static Path png(Path file, int width, int height, Pixels pixels) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, pixels.rgb(x, y));
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** The logits of the checkpoint's model for {@code image}, prepared by hand: grey, value / 255, normalised. */
    private static float[] expectedLogits(Path image) throws IOException {
        Checkpoint saved = Checkpoint.read(checkpoint);
        DataFacts facts = DataFacts.fromMap(saved.config());
        Module model = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, new Rng(0)));
        model.loadStateDict(saved.model());
        model.eval();
        BufferedImage read = ImageIO.read(image.toFile());
        float[] pixels = new float[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int grey = read.getRGB(x, y) & 0xFF; // the image is grey: R = G = B
                pixels[y * 16 + x] = (grey / 255f - facts.mean()[0]) / facts.std()[0];
            }
        }
        return model.forward(new Variable(Tensor.fromArray(pixels, 1, 1, 16, 16))).data().toFloatArray();
    }

    private static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void jsonGivesPerImageTheModelsLogitsAndTheirMostProbableClassesByName() throws IOException {
        Cli.Outcome predict = Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--top", "3", "--json",
                stripes.toString(), stripes.toString());
        assertEquals(0, predict.status(), predict::toString);
        JsonArray list = JsonParser.parseString(predict.out()).getAsJsonArray();
        assertEquals(2, list.size());
        float[] expected = expectedLogits(stripes);
        JsonObject first = list.get(0).getAsJsonObject();
        assertEquals(stripes.toString(), first.get("image").getAsString());
        float[] logits = floats(first.getAsJsonArray("logits"));
        assertArrayEquals(expected, logits, 1e-5f);
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        JsonArray top = first.getAsJsonArray("top");
        assertEquals(3, top.size());
        double previous = 1;
        for (JsonElement e : top) {
            JsonObject entry = e.getAsJsonObject();
            int c = entry.get("class").getAsInt();
            double p = entry.get("probability").getAsDouble();
            assertEquals(Math.exp(logits[c] - max) / sum, p, 1e-12, "softmax of the logits");
            assertTrue(p <= previous, "most probable first");
            previous = p;
            assertEquals(FashionMnist.CLASS_NAMES.get(c), entry.get("name").getAsString(), "the checkpoint's names");
        }
        int argmax = 0;
        for (int i = 1; i < logits.length; i++) {
            argmax = logits[i] > logits[argmax] ? i : argmax;
        }
        assertEquals(argmax, top.get(0).getAsJsonObject().get("class").getAsInt());
        assertEquals(first, list.get(1));
    }

    @Test
    void textShowsEachImageThenItsTopClassesWithPercentagesAndLabelsFromAFile() throws IOException {
        Path labels = Files.write(tmp.resolve("labels.txt"),
                List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"));
        Cli.Outcome predict = Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--labels", labels.toString(),
                stripes.toString());
        assertEquals(0, predict.status(), predict::toString);
        List<String> lines = predict.out().lines().toList();
        assertEquals(6, lines.size(), predict.out());
        assertEquals(stripes.toString(), lines.get(0));
        assertTrue(lines.get(1).matches(" {2}1\\. +\\d+\\.\\d\\d% {2}\\d [a-z]+"), lines.get(1));
    }

    @Test
    void releasedWeightsOfAGreyModelTakeColourImagesOfItsSizeAsGreyAndNumberTheClasses() throws IOException {
        Path weights = tmp.resolve("released.safetensors");
        Map<String, Tensor> state = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 4, new Rng(3))).stateDict();
        Safetensors.write(weights, state, Map.of());
        Cli.Outcome predict = Cli.vista("predict", "--model", "resnet26-mini", "--weights", weights.toString(),
                "--classes", "4", "--top", "9", "--json", rgb28.toString());
        assertEquals(0, predict.status(), predict::toString);
        JsonObject only = JsonParser.parseString(predict.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(4, only.getAsJsonArray("logits").size());
        assertEquals(4, only.getAsJsonArray("top").size(), "all the classes when --top is larger");
        for (JsonElement e : only.getAsJsonArray("top")) {
            assertEquals(e.getAsJsonObject().get("class").getAsString(), e.getAsJsonObject().get("name").getAsString());
        }

        Cli.Outcome wrongSize = Cli.vista("predict", "--model", "resnet26-mini", "--weights", weights.toString(),
                "--classes", "4", stripes.toString());
        assertEquals(1, wrongSize.status(), wrongSize::toString);
        assertEquals("vista predict: " + stripes.toAbsolutePath() + ": is 16 x 16 pixels (width x height), but the model"
                + " takes 28 x 28 images; give images of that size (this model's images are not resized)\n",
                wrongSize.err());

        Cli.Outcome wrongClasses = Cli.vista("predict", "--model", "resnet26-mini", "--weights", weights.toString(),
                rgb28.toString());
        assertEquals(1, wrongClasses.status(), wrongClasses::toString);
        assertTrue(wrongClasses.err().startsWith("vista predict: " + weights + ": its weights do not fit the model"),
                wrongClasses.err());
    }

    @Test
    void labelsOfAnotherClassCountAndFilesThatAreNoImagesAreRefusedNamingTheFile() throws IOException {
        Path labels = Files.write(tmp.resolve("three.txt"), List.of("a", "b", "c"));
        Cli.Outcome predict = Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--labels", labels.toString(),
                stripes.toString());
        assertEquals(1, predict.status(), predict::toString);
        assertEquals("vista predict: " + labels.toAbsolutePath() + ": has 3 lines, but the model has 10 classes; give one"
                + " class name per line, in class order\n", predict.err());

        Path notImage = Files.writeString(tmp.resolve("notes.png"), "not an image");
        Cli.Outcome bad = Cli.vista("predict", "--checkpoint", checkpoint.toString(), notImage.toString());
        assertEquals(1, bad.status(), bad::toString);
        assertTrue(bad.err().startsWith("vista predict: " + notImage.toAbsolutePath() + ": is not an image"), bad.err());
    }

    @Test
    void optionsThatDoNotGoTogetherAreUsageErrors() {
        assertEquals(2, Cli.vista("predict", stripes.toString()).status());
        assertEquals(2, Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--model", "resnet26-mini",
                stripes.toString()).status());
        assertEquals(2, Cli.vista("predict", "--model", "resnet26-mini", stripes.toString()).status());
        assertEquals(2, Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--top", "0",
                stripes.toString()).status());
        assertEquals(2, Cli.vista("predict", "--checkpoint", checkpoint.toString()).status());
    }
}
