package vista.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Named preprocessing recipes for image folders ({@code --preprocess NAME}).
 *
 * <ul>
 *   <li>{@link #IMAGENET}, torchvision's standard ImageNet recipe. Evaluation: resize so the shorter side
 *       is {@value #RESIZE} (bilinear, antialiased, as Pillow: {@link ImageResize}), keep the central
 *       {@value #CROP} x {@value #CROP}, scale to [0, 1], normalise with mean (0.485, 0.456, 0.406) and std
 *       (0.229, 0.224, 0.225). Training: {@link RandomResizedCrop} (scale 0.08 to 1, ratio 3/4 to 4/3) and
 *       {@link RandomHorizontalFlip}, then the same normalisation. The folder is read lazily
 *       ({@link LazyImageFolder}): images are decoded in the loader's threads, and the training split's
 *       random resized crop is cut from the whole decoded image and resized to 224 x 224 in bytes, as
 *       torchvision does on PIL images.</li>
 *   <li>{@link #NONE}: images kept at their size (all must have one size) and read into memory, scaled
 *       to [0, 1], normalised with the training split's own per-channel mean and std
 *       ({@link Normalize#computedFrom}); training uses the trainer's default augmentation.</li>
 * </ul>
 * Both convert every image to RGB (grey repeated, alpha dropped: {@link ImageFolder.ColorMode#RGB}).
 */
public enum Preprocess {
    IMAGENET,
    NONE;

    /** The shorter side after resizing, for {@link #IMAGENET}. */
    public static final int RESIZE = 256;
    /** The side of the central crop, for {@link #IMAGENET}. */
    public static final int CROP = 224;
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** The recipe called {@code name} (case-insensitive), or an {@link IllegalArgumentException} listing the names. */
    public static Preprocess named(String name) {
        for (Preprocess p : values()) {
            if (p.label().equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preprocessing '" + name + "'; the recipes are imagenet"
                + " (torchvision's: resize 256, centre crop 224, ImageNet's normalisation) and none (images as they"
                + " are, normalised with the training split's statistics)");
    }

    /** The recipe's name, as {@code --preprocess} takes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the image folder {@code root} as this recipe says: {@link #IMAGENET} lazily (a training split
     * with random resized crops drawn at load time), {@link #NONE} into memory.
     */
    public ImageFolder.Read read(Path root, boolean training, boolean skipUnreadable) throws DataFileException {
        ImageFolder.Options options = skipUnreadable ? folderOptions().skippingUnreadable() : folderOptions();
        if (this == IMAGENET) {
            return LazyImageFolder.read(root, options, training ? new RandomResizedCrop() : null);
        }
        return ImageFolder.readReporting(root, options);
    }

    /** How {@link ImageFolder} reads the images. */
    public ImageFolder.Options folderOptions() {
        ImageFolder.Options rgb = ImageFolder.Options.rgb();
        return this == IMAGENET ? rgb.resize(RESIZE).centreCrop(CROP) : rgb;
    }

    /** The normalisation, given the training split. */
    public Normalize normalize(Dataset train) {
        return this == IMAGENET ? imagenetNormalize() : Normalize.computedFrom(train);
    }

    /** ImageNet's per-channel mean and standard deviation, {@link #IMAGENET}'s normalisation. */
    public static Normalize imagenetNormalize() {
        return new Normalize(IMAGENET_MEAN, IMAGENET_STD);
    }

    /**
     * The training augmentation after loading and before normalisation, or empty for the trainer's default
     * ({@link #IMAGENET}'s random resized crop is drawn while loading, see {@link #read}).
     */
    public List<Transform> augmentation() {
        return this == IMAGENET ? List.of(new RandomHorizontalFlip()) : List.of();
    }
}
