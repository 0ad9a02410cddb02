package vista.data;

import java.nio.file.Path;

/**
 * One image file read as a model's input, the way {@link ImageFolder} reads each image of a folder
 * (javax.imageio, the declared size checked against the file's length before decoding, then the colour
 * mode, resize and centre crop of its {@link ImageFolder.Options}): the pixels become floats
 * {@code byte / 255}, in CHW order, as {@link DataLoader} makes them.
 */
public final class ImageFile {
    private ImageFile() {
    }

    /**
     * The image in {@code file}, brought to the geometry of {@code options}.
     *
     * @throws DataFileException naming the file if it cannot be decoded or is too small for the crop
     */
    public static FloatImage read(Path file, ImageFolder.Options options) throws DataFileException {
        ImageFolder.Decoded decoded = ImageFolder.decode(file, options);
        byte[] pixels = decoded.pixels();
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = (pixels[i] & 0xFF) / 255f;
        }
        return FloatImage.of(values, options.color().channels(), decoded.height(), decoded.width());
    }
}
