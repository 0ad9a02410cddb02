package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Rng;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes the image-folder reader ({@link ImageFolder} over javax.imageio, with {@link ImageResize}), with
 * the property of {@link FuzzCampaign}: every damaged PNG or JPEG is refused with a
 * {@link DataFileException} naming it, or read as an image of the size its header declares, quickly and
 * without allocating what a forged header claims.
 */
class ImageFolderFuzzTest {
    private static final BufferedImage IMAGE = ImageFiles.gradient(8, 6);

    @TempDir
    Path root;

    private static byte[] planes(BufferedImage image) {
        return ImageFolder.channelPlanes(image, ImageFolder.ColorMode.RGB);
    }

    @Test
    void damagedPngFilesAreRefusedClearlyOrReadAtTheirDeclaredSize() {
        byte[] png = ImageFiles.encode(IMAGE, "png");
        Path file = root.resolve("cat").resolve("a.png");
        FuzzCampaign.of("PNG in an image folder", png).fields(ImageFiles.pngFields(png))
                .encodedAs("CRCs recomputed", ImageFiles::recomputeCrcs).budget(Duration.ofMillis(300))
                .run(Refusal.naming(DataFileException.class, file.toString()),
                        stored -> ImageFolder.read(TestFiles.write(file, stored).getParent().getParent(),
                                ImageFolder.Options.rgb()),
                        (stored, d) -> {
                            int[] size = ImageFiles.pngSize(stored);
                            assertEquals(size[0], d.width());
                            assertEquals(size[1], d.height());
                            if (Arrays.equals(stored, png)) {
                                assertArrayEquals(planes(IMAGE), d.pixels(0));
                            }
                        });
    }

    @Test
    void damagedJpegFilesAreRefusedClearlyOrResizedAndCropped() {
        byte[] jpeg = ImageFiles.encode(ImageFiles.gradient(16, 12), "jpeg");
        Path file = root.resolve("dog").resolve("b.jpg");
        FuzzCampaign.of("JPEG in an image folder, resized and cropped", jpeg).fields(ImageFiles.jpegFields(jpeg))
                .budget(Duration.ofMillis(300))
                .run(Refusal.naming(DataFileException.class, file.toString()),
                        stored -> ImageFolder.read(TestFiles.write(file, stored).getParent().getParent(),
                                ImageFolder.Options.rgb().resize(6).centreCrop(5)),
                        (stored, d) -> {
                            assertEquals(5, d.width());
                            assertEquals(5, d.height());
                        });
    }

    @Test
    void damagedJpegFilesReadLazilyAreRefusedClearlyWhenListedOrWhenLoaded() {
        byte[] jpeg = ImageFiles.encode(ImageFiles.gradient(16, 12), "jpeg");
        Path file = root.resolve("dog").resolve("c.jpg");
        FuzzCampaign.of("JPEG in a lazily read image folder, plain and randomly cropped", jpeg)
                .fields(ImageFiles.jpegFields(jpeg)).budget(Duration.ofMillis(300))
                .run(Refusal.naming(DataFileException.class, file.toString()),
                        stored -> {
                            Dataset d = LazyImageFolder.read(TestFiles.write(file, stored).getParent().getParent(),
                                    ImageFolder.Options.rgb().resize(6).centreCrop(5), new RandomResizedCrop()).dataset();
                            try {
                                d.pixels(0);
                                d.copyAsFloats(0, new Rng(3), new float[d.sampleSize()], 0);
                            } catch (IllegalStateException e) {
                                throw e.getCause() instanceof DataFileException bad ? bad : e;
                            }
                            return d;
                        },
                        (stored, d) -> {
                            assertEquals(5, d.width());
                            assertEquals(5, d.height());
                        });
    }

    @Test
    void aPngHeaderClaimingFourHundredMegapixelsIsRefusedBeforeDecodingNamingTheClaimAndTheFileSize() {
        byte[] png = ImageFiles.encode(IMAGE, "png");
        ByteBuffer.wrap(png).putInt(16, 20_000).putInt(20, 20_000);
        Path file = TestFiles.write(root.resolve("cat").resolve("a.png"), ImageFiles.recomputeCrcs(png));
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(
                DataFileException.class, () -> ImageFolder.read(root, ImageFolder.Options.rgb())));
        assertEquals(file + ": its header declares 20000 x 20000 pixels (width x height), more than a " + png.length
                + "-byte PNG or JPEG can hold (at most 10000 pixels per byte of file, and 536870909 in all); the file"
                + " is damaged (to go on without such files, read the folder skipping unreadable files: vista's"
                + " --skip-unreadable leaves them out and counts them)", e.getMessage());
    }

    @Test
    void refusesAResizeWhoseResultWouldNotFitInAnArray() throws Exception {
        Path file = TestFiles.write(root.resolve("cat").resolve("strip.png"),
                ImageFiles.encode(ImageFiles.gradient(40_000, 1), "png"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> ImageFolder.read(root, ImageFolder.Options.rgb().resize(256).centreCrop(224)));
        assertEquals(file + ": is 40000 x 1 pixels (width x height): resized to a shorter side of 256 it would hold"
                + " more than one image may hold (2147483639 bytes); leave out images of such an aspect ratio (to go on"
                + " without such files, read the folder skipping unreadable files: vista's --skip-unreadable leaves them"
                + " out and counts them)",
                e.getMessage());
    }
}
