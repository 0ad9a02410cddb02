package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Rng;

/** {@link RandomResizedCrop}, {@link Preprocess} and the image folder's skipping of unreadable files. */
class ImageNetPreprocessingTest {
    @TempDir
    Path root;

    @Test
    void randomResizedCropFallsBackToTheCentralWindowClampedToTheRatioWhenNoTryFits() {
        // scale 1 and aspect >= 2 ask for windows at least 6 wide in a 4 x 4 image: all 10 tries fail.
        RandomResizedCrop wide = new RandomResizedCrop(1, 1, 2, 3);
        // W / H = 1 < 2: w = 4, h = rint(4 / 2) = 2, corner ((4 - 2) / 2, 0).
        assertArrayEquals(new int[] {1, 0, 2, 4}, wide.window(4, 4, new Rng(5)));
        // scale 1 and aspect <= 2 in a 2 x 8 image ask for windows at least rint(sqrt(16 / 2)) = 3 high: all fail.
        // W / H = 4 > 2: h = 2, w = rint(2 * 2) = 4, corner (0, (8 - 4) / 2).
        assertArrayEquals(new int[] {0, 2, 2, 4}, new RandomResizedCrop(1, 1, 1, 2).window(2, 8, new Rng(5)));
    }

    @Test
    void randomResizedCropAtAQuarterOfTheAreaAndRatioOnePicksA2By2WindowInside() {
        RandomResizedCrop crop = new RandomResizedCrop(0.25, 0.25, 1, 1);
        for (long seed = 0; seed < 5; seed++) {
            int[] box = crop.window(4, 4, new Rng(seed));
            assertEquals(2, box[2]);
            assertEquals(2, box[3]);
            assertTrue(box[0] >= 0 && box[0] <= 2 && box[1] >= 0 && box[1] <= 2, "seed " + seed);
        }
    }

    @Test
    void randomResizedCropWindowsStayInsideTheImageWithinTheRanges() {
        RandomResizedCrop crop = new RandomResizedCrop();
        for (long seed = 0; seed < 500; seed++) {
            int[] b = crop.window(50, 70, new Rng(seed));
            assertTrue(b[0] >= 0 && b[1] >= 0 && b[2] > 0 && b[3] > 0 && b[0] + b[2] <= 50 && b[1] + b[3] <= 70,
                    "seed " + seed);
            double area = (double) b[2] * b[3] / (50 * 70);
            assertTrue(area > 0.07 && area <= 1.0, "seed " + seed + " area " + area);
        }
    }

    @Test
    void randomResizedCropRefusesRangesOutsideTorchvisionsMeaning() {
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0, 1, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0.5, 0.4, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0.08, 1, 1.5, 1.0));
    }

    @Test
    void imagenetRecipeIsTorchvisionsResize256CentreCrop224AndImageNetsNormalisation() {
        assertEquals(ImageFolder.Options.rgb().resize(256).centreCrop(224), Preprocess.IMAGENET.folderOptions());
        assertEquals(ImageFolder.Options.rgb(), Preprocess.NONE.folderOptions());
        Dataset any = TestFiles.dataset(4, 3, 2, 2, 2);
        Normalize n = Preprocess.IMAGENET.normalize(any);
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, n.mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, n.std());
        assertArrayEquals(Normalize.computedFrom(any).mean(), Preprocess.NONE.normalize(any).mean());
        assertEquals(1, Preprocess.IMAGENET.augmentation().size(), "the random resized crop is drawn while loading");
        assertTrue(Preprocess.IMAGENET.augmentation().get(0) instanceof RandomHorizontalFlip);
        assertEquals(List.of(), Preprocess.NONE.augmentation());
        assertEquals(Preprocess.NONE, Preprocess.named("None"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocess.named("inception"));
        assertTrue(e.getMessage().contains("'inception'") && e.getMessage().contains("imagenet"), e.getMessage());
    }

    @Test
    void unreadableFilesAreSkippedOnRequestAndCountedByPath() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        BufferedImage rgba = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(1, 1, 0x40FF8000);
        assertTrue(ImageIO.write(rgba, "png", root.resolve("a/rgba.png").toFile()));
        assertTrue(ImageIO.write(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY), "png",
                root.resolve("b/grey.png").toFile()));
        Files.writeString(root.resolve("a/broken.jpg"), "not a jpeg");
        Files.write(root.resolve("b/truncated.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.read(root, ImageFolder.Options.rgb()));
        assertTrue(e.getMessage().startsWith(root.resolve("a/broken.jpg").toAbsolutePath() + ": "), e.getMessage());

        ImageFolder.Read read = ImageFolder.readReporting(root, ImageFolder.Options.rgb().skippingUnreadable());
        assertEquals(List.of(root.resolve("a/broken.jpg"), root.resolve("b/truncated.png")), read.skipped());
        assertEquals(4, read.files().size());
        Dataset d = read.dataset();
        assertEquals(2, d.size());
        assertTrue(d.name().endsWith("(2 unreadable files skipped)"), d.name());
        assertEquals(3, d.channels(), "RGBA and grey both become RGB");
        assertEquals(List.of(255, 128, 0), List.of(d.pixel(0, 0, 1, 1), d.pixel(0, 1, 1, 1), d.pixel(0, 2, 1, 1)),
                "alpha is dropped, the colour kept");
        assertEquals(List.of(0, 1), List.of(d.label(0), d.label(1)));
    }

    @Test
    void aFolderTooLargeForMemoryIsRefusedBeforeDecodingWithTheLargestCountThatFits() throws Exception {
        ImageFolder.Options imagenet = Preprocess.IMAGENET.folderOptions();
        ImageFolder.checkFits(root, 9, imagenet, 9 * 3 * 224 * 224);
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolder.checkFits(root, 10, imagenet, 9 * 3 * 224 * 224));
        assertEquals(root.toAbsolutePath() + ": holds 10 images; at 3 x 224 x 224 they need 1505280 bytes, more than"
                + " one in-memory data set may hold (1354752); Vista reads an image folder into memory, so use a folder"
                + " of at most 9 images", e.getMessage());
    }

    @Test
    void skippingEveryFileIsRefusedNamingTheFolder() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/broken.png"), "not a png");
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolder.read(root, ImageFolder.Options.rgb().skippingUnreadable()));
        assertTrue(e.getMessage().startsWith(root.toAbsolutePath() + ": holds no readable image"), e.getMessage());
    }
}
