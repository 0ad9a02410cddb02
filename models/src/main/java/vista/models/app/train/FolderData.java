package vista.models.app.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.data.DataFileException;
import vista.data.Dataset;
import vista.data.ImageFolder;
import vista.data.Normalize;
import vista.data.Preprocess;
import vista.data.Transform;

/**
 * The {@code --data folder:DIR} form: an ImageNet-style pair of image folders, {@code DIR/train/<class>/*}
 * for training and {@code DIR/val/<class>/*} for testing, read by {@link ImageFolder} (classes in sorted
 * folder order, as torchvision's {@code ImageFolder}; every image converted to RGB). Options go between
 * {@code folder} and the colon, separated by commas: {@code preprocess=imagenet} (the default) or
 * {@code preprocess=none} ({@link Preprocess}), and {@code skip-unreadable} (files that cannot be decoded
 * are left out and counted in the splits' names, instead of stopping the run). Example:
 * {@code folder,preprocess=none,skip-unreadable:/data/pets}. Both splits must have the same class folders.
 *
 * @param root           DIR
 * @param preprocess     the recipe
 * @param skipUnreadable whether undecodable files are skipped (and counted)
 */
public record FolderData(Path root, Preprocess preprocess, boolean skipUnreadable) {
    /** The prefix of the form. */
    public static final String PREFIX = "folder";

    /** Both splits and every image file found, training files first. */
    public record Splits(Dataset train, Dataset test, List<Path> files, List<Path> skipped) {
    }

    /** Whether {@code spec} is of this form. */
    public static boolean isFolderSpec(String spec) {
        return spec.startsWith(PREFIX + ":") || spec.startsWith(PREFIX + ",");
    }

    /** The spec {@code folder[,OPTION...]:DIR} as a record; an unknown option is an {@link IllegalArgumentException}. */
    public static FolderData parse(String spec) {
        int colon = spec.indexOf(':');
        if (!isFolderSpec(spec) || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--data " + spec + ": expected folder:DIR or folder,OPTION,...:DIR");
        }
        Preprocess preprocess = Preprocess.IMAGENET;
        boolean skip = false;
        for (String option : spec.substring(PREFIX.length(), colon).split(",")) {
            if (option.isEmpty()) {
                continue;
            }
            if (option.startsWith("preprocess=")) {
                preprocess = Preprocess.named(option.substring("preprocess=".length()));
            } else if (option.equals("skip-unreadable")) {
                skip = true;
            } else {
                throw new IllegalArgumentException("--data " + spec + ": unknown option '" + option
                        + "'; the options are preprocess=imagenet, preprocess=none and skip-unreadable");
            }
        }
        return new FolderData(Path.of(spec.substring(colon + 1)), preprocess, skip);
    }

    /** The spec for {@code dir} with these options, as {@link #parse} reads it. */
    public static String spec(String dir, Preprocess preprocess, boolean skipUnreadable) {
        return PREFIX + ",preprocess=" + preprocess.label() + (skipUnreadable ? ",skip-unreadable" : "") + ":" + dir;
    }

    public Path trainFolder() {
        return root.resolve("train");
    }

    public Path testFolder() {
        return root.resolve("val");
    }

    /** Reads both splits, checking that they have the same classes. */
    public Splits read() throws DataFileException {
        ImageFolder.Read train = preprocess.read(trainFolder(), true, skipUnreadable);
        ImageFolder.Read test = preprocess.read(testFolder(), false, skipUnreadable);
        List<String> trainClasses = train.dataset().classNames();
        if (!test.dataset().classNames().equals(trainClasses)) {
            throw new DataFileException(testFolder(), "has the class folders " + test.dataset().classNames()
                    + " but " + trainFolder().toAbsolutePath().normalize() + " has " + trainClasses
                    + "; both splits need the same class folders, so that a label means one class");
        }
        List<Path> files = new ArrayList<>(train.files());
        files.addAll(test.files());
        List<Path> skipped = new ArrayList<>(train.skipped());
        skipped.addAll(test.skipped());
        return new Splits(train.dataset(), test.dataset(), files, skipped);
    }

    /** Reads the test split alone. */
    public Dataset readTest() throws DataFileException {
        return preprocess.read(testFolder(), false, skipUnreadable).dataset();
    }

    /** The normalisation of the recipe, given the full training split. */
    public Normalize normalize(Dataset train) {
        return preprocess.normalize(train);
    }

    /** The training augmentation of the recipe (empty: the trainer's default). */
    public List<Transform> augmentation() {
        return preprocess.augmentation();
    }
}
