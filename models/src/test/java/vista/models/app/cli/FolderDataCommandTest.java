package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.train.RunDirectory;

/** {@code vista train} and {@code vista eval} with {@code --data folder:DIR}: PNG and JPEG images in class folders. */
class FolderDataCommandTest {
    @TempDir
    Path tmp;

    /** DIR/train and DIR/val with classes "bee", "ant", "cat" (made in that order), PNG, JPEG, grey and RGBA images. */
    private Path folder(int side, int perClass) throws IOException {
        Path root = tmp.resolve("pets");
        String[] classes = {"bee", "ant", "cat"};
        for (String split : new String[] {"train", "val"}) {
            for (int k = 0; k < classes.length; k++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(classes[k]));
                for (int i = 0; i < perClass; i++) {
                    int type = i % 3 == 0 ? BufferedImage.TYPE_BYTE_GRAY
                            : i % 3 == 1 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
                    BufferedImage image = new BufferedImage(side + i % 2, side, type);
                    for (int y = 0; y < side; y++) {
                        for (int x = 0; x < side + i % 2; x++) {
                            int v = (x * (k + 1) * 37 + y * 11 + i * 5) & 0xFF;
                            image.setRGB(x, y, 0xFF000000 | v << 16 | (k * 80) << 8 | (255 - v));
                        }
                    }
                    String format = type == BufferedImage.TYPE_INT_RGB ? "jpeg" : "png";
                    assertTrue(ImageIO.write(image, format, dir.resolve("img" + i + "." + format).toFile()));
                }
            }
        }
        return root;
    }

    @Test
    void trainsAndEvaluatesOnAnImageFolderRecordingTheSortedClassNames() throws IOException {
        Path data = folder(28, 4);
        Files.delete(data.resolve("train/ant/img0.png"));
        Path run = tmp.resolve("run");
        // Without a crop all images of a split must share a size: give them all 28 x 28.
        try (var files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                BufferedImage image = ImageIO.read(f.toFile());
                if (image.getWidth() != 28) {
                    BufferedImage square = image.getSubimage(0, 0, 28, 28);
                    BufferedImage copy = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
                    copy.getGraphics().drawImage(square, 0, 0, null);
                    assertTrue(ImageIO.write(copy, f.toString().endsWith("png") ? "png" : "jpeg", f.toFile()));
                }
            }
        }
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", "folder:" + data,
                "--preprocess", "none", "--batch", "4", "--epochs", "1", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        JsonObject config = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        assertEquals("folder,preprocess=none:" + data, config.get("data").getAsString(), config.toString());
        assertEquals("[\"ant\",\"bee\",\"cat\"]", config.get("class_names").toString(), "torchvision's sorted order");
        assertEquals(3, config.get("in_channels").getAsInt(), "grey and RGBA images become RGB");
        assertEquals(11, config.get("train_samples").getAsInt());

        // The manifest fingerprints each split folder as a whole; replay notices one changed image.
        JsonObject manifest = JsonParser.parseString(Files.readString(run.resolve("manifest.json"))).getAsJsonObject();
        var recorded = manifest.getAsJsonObject("data").getAsJsonArray("files");
        assertEquals(2, recorded.size(), recorded::toString);
        assertEquals(data.resolve("train").toAbsolutePath().toString(),
                recorded.get(0).getAsJsonObject().get("path").getAsString());
        assertEquals(data.resolve("val").toAbsolutePath().toString(),
                recorded.get(1).getAsJsonObject().get("path").getAsString());
        Path image = data.resolve("train/cat/img2.jpeg");
        byte[] original = Files.readAllBytes(image);
        BufferedImage changed = ImageIO.read(image.toFile());
        changed.setRGB(0, 0, 0xFF123456);
        assertTrue(ImageIO.write(changed, "jpeg", image.toFile()));
        Cli.Outcome replay = Cli.vista("replay", run.resolve("manifest.json").toString(), "--progress", "lines");
        assertEquals(1, replay.status(), replay::toString);
        assertTrue(replay.out().contains(data.resolve("train").toAbsolutePath() + " has "), replay::toString);
        Files.write(image, original);

        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", run.resolve(RunDirectory.CHECKPOINT).toString(),
                "--progress", "lines");
        assertEquals(0, eval.status(), eval::toString);
        assertTrue(eval.out().contains(data.resolve("val") + ": 12 images"), eval::toString);
        assertTrue(eval.out().contains("0 ant"), eval::toString);

        Files.writeString(data.resolve("val/cat/broken.jpg"), "not a jpeg");
        Cli.Outcome refused = Cli.vista("eval", "--checkpoint", run.resolve(RunDirectory.CHECKPOINT).toString(),
                "--progress", "lines");
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains(data.resolve("val/cat/broken.jpg").toString()), refused::toString);

        Cli.Outcome skipping = Cli.vista("eval", "--checkpoint", run.resolve(RunDirectory.CHECKPOINT).toString(),
                "--data", "folder:" + data, "--preprocess", "none", "--skip-unreadable", "--progress", "lines");
        assertEquals(0, skipping.status(), skipping::toString);
        assertTrue(skipping.out().contains("(1 unreadable file skipped): 12 images"), skipping::toString);
    }

    @Test
    void trainsWithImageNetPreprocessingOnImagesOfDifferentSizes() throws IOException {
        Path data = folder(230, 2);
        Path run = tmp.resolve("run");
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", "folder:" + data,
                "--batch", "3", "--epochs", "1", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        JsonObject config = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        assertEquals(224, config.get("image_height").getAsInt());
        assertEquals("[0.485,0.456,0.406]", config.get("normalize_mean").toString());

        // Released weights on an ImageNet-style folder need only its validation split.
        try (var files = Files.walk(data.resolve("train"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        Cli.Outcome eval = Cli.vista("eval", "--weights", run.resolve(RunDirectory.CHECKPOINT).toString(),
                "--model", "resnet26-mini", "--data", "folder:" + data, "--json");
        assertEquals(0, eval.status(), eval::toString);
        assertEquals(6, JsonParser.parseString(eval.out()).getAsJsonObject().get("count").getAsInt(), eval::toString);
    }

    @Test
    void folderOptionsWithoutAnImageFolderAreAUsageError() {
        Cli.Outcome wrong = Cli.vista("train", "--data", "fashion-mnist", "--preprocess", "none", "--out",
                tmp.resolve("a").toString());
        assertEquals(2, wrong.status(), wrong::toString);
        assertTrue(wrong.err().contains("give --data folder:DIR"), wrong::toString);
        Cli.Outcome unknown = Cli.vista("train", "--data", "folder:/nowhere", "--preprocess", "inception", "--out",
                tmp.resolve("b").toString());
        assertEquals(2, unknown.status(), unknown::toString);
        assertTrue(unknown.err().contains("unknown preprocessing 'inception'"), unknown::toString);
    }
}
