package vista.models.app.predict;

import java.nio.file.Path;
import vista.data.DataFileException;
import vista.data.FloatImage;
import vista.data.ImageFile;
import vista.data.ImageFolder;
import vista.data.Normalize;
import vista.data.Preprocess;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * How an image file becomes a model's input: decoded in {@code options}' colour mode and geometry (for the
 * ImageNet recipe, {@link Preprocess#IMAGENET}'s resize to 256 and centre crop to 224), required to have
 * {@code height x width} pixels then (an image of another size is refused, not resized, when the recipe
 * does not resize), and normalised per channel.
 *
 * @param options   decoding, colour mode, resize and crop ({@link ImageFolder.Options})
 * @param height    the model's input height
 * @param width     the model's input width
 * @param normalize the per-channel standardisation the model was trained with
 */
public record ImageInput(ImageFolder.Options options, int height, int width, Normalize normalize) {
    private static final float[] FASHION_MNIST_MEAN = {0.2860f};
    private static final float[] FASHION_MNIST_STD = {0.3530f};

    /** torchvision's ImageNet evaluation recipe ({@link Preprocess#IMAGENET}). */
    public static ImageInput imagenet() {
        return new ImageInput(Preprocess.IMAGENET.folderOptions(), Preprocess.CROP, Preprocess.CROP,
                Preprocess.IMAGENET.normalize(null));
    }

    /**
     * Grey {@code side x side} images normalised as {@code vista train} normalises Fashion-MNIST (the mean
     * 0.2860 and standard deviation 0.3530 of its training split).
     */
    public static ImageInput fashionMnist(int side) {
        return new ImageInput(ImageFolder.Options.grayscale(), side, side,
                new Normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD));
    }

    /**
     * The image in {@code file} as a batch of one, (1, C, H, W).
     *
     * @throws DataFileException naming the file if it cannot be decoded or, after the recipe, is not
     *     {@code height x width} pixels
     */
    public Tensor read(Path file) throws DataFileException {
        FloatImage image = ImageFile.read(file, options);
        if (image.height() != height || image.width() != width) {
            throw new DataFileException(file, "is " + image.width() + " x " + image.height() + " pixels (width x"
                    + " height), but the model takes " + width + " x " + height + " images; give images of that size"
                    + " (this model's images are not resized)");
        }
        normalize.apply(image, new Rng(0));
        return Tensor.fromArray(image.data(), 1, image.channels(), height, width);
    }
}
