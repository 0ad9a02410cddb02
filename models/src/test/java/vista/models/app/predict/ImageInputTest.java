package vista.models.app.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;

/** {@link ImageInput#imagenet()}: any image becomes 3 x 224 x 224, scaled to [0, 1] and normalised with ImageNet's statistics. */
class ImageInputTest {
    @TempDir
    Path tmp;

    @Test
    void anImagenetInputIsResizedCroppedAndNormalisedWithImagenetsMeanAndStd() throws IOException {
        BufferedImage image = new BufferedImage(300, 260, BufferedImage.TYPE_INT_RGB);
        int r = 200;
        int g = 100;
        int b = 30;
        for (int y = 0; y < 260; y++) {
            for (int x = 0; x < 300; x++) {
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Path file = tmp.resolve("uniform.jpg.png");
        ImageIO.write(image, "png", file.toFile());
        Tensor input = ImageInput.imagenet().read(file);
        assertArrayEquals(new int[] {1, 3, 224, 224}, input.dims());
        float[] values = input.toFloatArray();
        float[] expected = {(r / 255f - 0.485f) / 0.229f, (g / 255f - 0.456f) / 0.224f, (b / 255f - 0.406f) / 0.225f};
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], values[c * 224 * 224], 1e-6f, "channel " + c);
            assertEquals(expected[c], values[c * 224 * 224 + 224 * 224 - 1], 1e-6f, "channel " + c);
        }
    }
}
