package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageResize} against Pillow: the resources in vista/data/pil-resize/ were written by
 * bench/compare/pil_resize.py --small (synthetic RGB images of gradients, edges and noise, and Pillow
 * 12.3's {@code Image.resize((w, h), Image.BILINEAR)} of each).
 */
class ImageResizeTest {
    private static final String FOLDER = "/vista/data/pil-resize/";

    @Test
    void resizeGivesPillowsBilinearBytesExactlyWhenShrinkingEnlargingAndMixing() {
        List<String> cases = resourceText("cases.txt").lines().toList();
        assertEquals(4, cases.size());
        assertSameAsPillow(cases, name -> ImageResizeTest.class.getResourceAsStream(FOLDER + name));
    }

    /** The cases of a folder written by pil_resize.py, when {@code -Dvista.pilResize=FOLDER} names one. */
    @Test
    void resizeGivesPillowsBytesOnTheCasesOfAFolderGivenAsAProperty() throws IOException {
        String folder = System.getProperty("vista.pilResize");
        Assumptions.assumeTrue(folder != null, "no -Dvista.pilResize=FOLDER given");
        Path dir = Path.of(folder);
        assertSameAsPillow(Files.readAllLines(dir.resolve("cases.txt")), name -> {
            try {
                return Files.newInputStream(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void assertSameAsPillow(List<String> cases, Function<String, InputStream> open) {
        for (String line : cases) {
            String[] f = line.split(" ");
            int w = Integer.parseInt(f[1]);
            int h = Integer.parseInt(f[2]);
            int outW = Integer.parseInt(f[3]);
            int outH = Integer.parseInt(f[4]);
            byte[] input = rgbPlanes(open.apply(f[0] + ".png"));
            byte[] pillow = rgbPlanes(open.apply(f[0] + "_pil.png"));
            assertEquals(3 * w * h, input.length, f[0]);
            assertArrayEquals(pillow, ImageResize.resize(input, 3, h, w, outH, outW), f[0]);
        }
    }

    private static byte[] rgbPlanes(InputStream stream) {
        try (InputStream in = stream) {
            return ImageFolder.channelPlanes(ImageIO.read(in), ImageFolder.ColorMode.RGB);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resourceText(String name) {
        try (InputStream in = ImageResizeTest.class.getResourceAsStream(FOLDER + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
