package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    private static BufferedImage solid(int width, int height, int r, int g, int b) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private void save(BufferedImage image, String format, String path) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
    }

    @Test
    void readsClassesFromSortedSubfolderNames() throws Exception {
        save(solid(4, 3, 1, 2, 3), "png", "zebra/a.png");
        save(solid(4, 3, 10, 20, 30), "png", "ant/b.png");
        save(solid(4, 3, 40, 50, 60), "png", "ant/a.png");
        save(solid(4, 3, 200, 200, 200), "jpeg", "mouse/c.JPG");
        Files.writeString(root.resolve("mouse/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".hidden"));

        Dataset d = ImageFolder.read(root, ImageFolder.Options.rgb());
        assertEquals(List.of("ant", "mouse", "zebra"), d.classNames());
        assertEquals(4, d.size());
        assertEquals(3, d.channels());
        assertEquals(3, d.height());
        assertEquals(4, d.width());
        // Samples class by class, files in name order: ant/a, ant/b, mouse/c, zebra/a.
        assertEquals(List.of(0, 0, 1, 2), List.of(d.label(0), d.label(1), d.label(2), d.label(3)));
        assertEquals(40, d.pixel(0, 0, 2, 3));
        assertEquals(60, d.pixel(0, 2, 0, 0));
        assertEquals(20, d.pixel(1, 1, 1, 1));
        assertEquals(200, d.pixel(2, 0, 1, 1), 3, "a flat JPEG decodes to about its colour");
        assertEquals(3, d.pixel(3, 2, 2, 2));
    }

    @Test
    void convertsBetweenGreyAndColourAsDocumented() throws Exception {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 37);
        grey.getRaster().setSample(1, 0, 0, 200);
        save(grey, "png", "grey/g.png");
        save(solid(2, 1, 255, 128, 0), "png", "orange/o.png");

        Dataset rgb = ImageFolder.read(root, ImageFolder.Options.rgb());
        // Grey in RGB: the grey value, unchanged (no gamma conversion), in all three channels.
        for (int c = 0; c < 3; c++) {
            assertEquals(37, rgb.pixel(0, c, 0, 0));
            assertEquals(200, rgb.pixel(0, c, 0, 1));
        }
        assertEquals(List.of(255, 128, 0), List.of(rgb.pixel(1, 0, 0, 0), rgb.pixel(1, 1, 0, 0), rgb.pixel(1, 2, 0, 0)));

        Dataset gray = ImageFolder.read(root, ImageFolder.Options.grayscale());
        assertEquals(1, gray.channels());
        assertEquals(37, gray.pixel(0, 0, 0, 0));
        assertEquals((299 * 255 + 587 * 128 + 500) / 1000, gray.pixel(1, 0, 0, 0));
    }

    @Test
    void resizesTheShorterSideThenCropsTheCentre() throws Exception {
        // 40 wide, 20 high; column x has red value 6 x.
        BufferedImage wide = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                wide.setRGB(x, y, 6 * x << 16);
            }
        }
        save(wide, "png", "only/wide.png");
        save(solid(30, 50, 9, 9, 9), "png", "only/tall.png");

        Dataset d = ImageFolder.read(root, ImageFolder.Options.rgb().resize(10).centreCrop(8));
        assertEquals(8, d.height());
        assertEquals(8, d.width());
        // tall.png (30 x 50) -> 10 x 16, a flat colour stays flat.
        assertEquals(9, d.pixel(0, 1, 7, 7));
        // wide.png -> 20 x 10, then columns 6..13 are kept. Resized column j averages input columns
        // 2j - 1 .. 2j + 2 with weights 1/8, 3/8, 3/8, 1/8: on the ramp that is 6 (2j + 1/2) = 12 j + 3.
        for (int x = 0; x < 8; x++) {
            assertEquals(12 * (6 + x) + 3, d.pixel(1, 0, 4, x), "column " + x);
        }
    }

    @Test
    void bilinearResizeMatchesHandComputedValues() {
        // Enlarging 2 -> 4: plain bilinear with half-pixel centres, edges clamped.
        assertArrayEquals(TestFiles.bytes(0, 25, 75, 100), ImageResize.resize(TestFiles.bytes(0, 100), 1, 1, 2, 1, 4));
        // Shrinking 4 -> 2: triangle of half-width 2; out 0 = (0 .75 + 40 .75 + 80 .25) / 1.75 = 28.57.
        assertArrayEquals(TestFiles.bytes(29, 91), ImageResize.resize(TestFiles.bytes(0, 40, 80, 120), 1, 1, 4, 1, 2));
        // Same size: unchanged.
        byte[] image = TestFiles.pattern(2 * 5 * 7, 1);
        assertArrayEquals(image, ImageResize.resize(image, 2, 5, 7, 5, 7));
        assertArrayEquals(new int[] {256, 384}, ImageResize.shorterSideTo(500, 750, 256));
        assertArrayEquals(new int[] {341, 256}, ImageResize.shorterSideTo(400, 300, 256));
    }

    @Test
    void centreCropTakesTheMiddleWindow() {
        byte[] image = new byte[25];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                image[y * 5 + x] = (byte) (10 * y + x);
            }
        }
        assertArrayEquals(TestFiles.bytes(11, 12, 13, 21, 22, 23, 31, 32, 33), ImageResize.centreCrop(image, 1, 5, 5, 3));
        // The corner is at floor((5 - 2) / 2) = 1.
        assertArrayEquals(TestFiles.bytes(11, 12, 21, 22), ImageResize.centreCrop(image, 1, 5, 5, 2));
    }

    @Test
    void rejectsImagesOfDifferentSizesWithoutACrop() throws Exception {
        save(solid(4, 4, 1, 1, 1), "png", "a/one.png");
        save(solid(5, 4, 1, 1, 1), "png", "b/two.png");
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.read(root, ImageFolder.Options.rgb()));
        assertTrue(e.getMessage().startsWith(root.resolve("b/two.png") + ": is 5 x 4 pixels"), e.getMessage());
    }

    @Test
    void rejectsUndecodableImagesAndEmptyClasses() throws Exception {
        save(solid(4, 4, 1, 1, 1), "png", "a/one.png");
        Files.writeString(root.resolve("a/broken.png"), "not a png");
        DataFileException e = assertThrows(DataFileException.class, () -> ImageFolder.read(root, ImageFolder.Options.rgb()));
        assertTrue(e.getMessage().startsWith(root.resolve("a/broken.png").toString()), e.getMessage());

        Files.delete(root.resolve("a/broken.png"));
        Files.createDirectories(root.resolve("empty"));
        e = assertThrows(DataFileException.class, () -> ImageFolder.read(root, ImageFolder.Options.rgb()));
        assertTrue(e.getMessage().startsWith(root.resolve("empty") + ": holds no .png, .jpg or .jpeg file"), e.getMessage());
    }
}
