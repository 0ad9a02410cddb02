package vista.models.app.cli;

import picocli.CommandLine.Option;
import vista.data.Preprocess;
import vista.models.app.train.FolderData;
import vista.models.app.train.TrainingData;

/**
 * {@code --data DATA}: a data set in one of the forms {@link TrainingData} reads (it also says what is
 * wrong with one it cannot). A command that trains starts from {@code new DataOption(TrainingData.FASHION_MNIST)};
 * one that reads a checkpoint from {@code new DataOption()}, whose null means the checkpoint's own data.
 * For image folders ({@code folder:DIR}), {@code --preprocess NAME} and {@code --skip-unreadable} become
 * the options of the form ({@link FolderData#spec}), so that a run records them with its data.
 */
final class DataOption {
    @Option(names = "--data", paramLabel = "DATA",
            description = "fashion-mnist (Debian's /usr/share/datasets/fashion-mnist), cifar10:DIR (CIFAR-10's"
                    + " binary files in DIR), folder:DIR (images in DIR/train/<class>/ and DIR/val/<class>/), or a"
                    + " folder holding the four Fashion-MNIST IDX files (default: fashion-mnist for a new run, else"
                    + " the data the checkpoint's run trained on).")
    String given;

    @Option(names = "--preprocess", paramLabel = "NAME",
            description = "For --data folder:DIR: imagenet (default; torchvision's recipe: resize 256, centre crop"
                    + " 224, ImageNet's mean and std; random resized crops and flips for training) or none (images"
                    + " at their own size, normalised with the training split's statistics).")
    String preprocess;

    @Option(names = "--skip-unreadable",
            description = "For --data folder:DIR: leave out image files that cannot be decoded (their count is"
                    + " reported in the data set's name) instead of stopping.")
    boolean skipUnreadable;

    /** No default: the data a checkpoint's run trained on. */
    DataOption() {
    }

    DataOption(String defaultSpec) {
        this.given = defaultSpec;
    }

    /** What is wrong with the options together, or null. */
    String problem() {
        if (preprocess == null && !skipUnreadable) {
            return null;
        }
        if (given == null || !FolderData.isFolderSpec(given)) {
            return "--preprocess and --skip-unreadable apply to image folders only; give --data folder:DIR.";
        }
        try {
            FolderData.parse(given);
            if (preprocess != null) {
                Preprocess.named(preprocess);
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage() + ".";
        }
        return null;
    }

    /**
     * The data's spec with the folder options folded in (null: the checkpoint's own); the spec as given
     * while {@link #problem()} finds a problem.
     */
    String spec() {
        if (problem() != null || given == null || !FolderData.isFolderSpec(given) || preprocess == null && !skipUnreadable) {
            return given;
        }
        FolderData parsed = FolderData.parse(given);
        Preprocess recipe = preprocess == null ? parsed.preprocess() : Preprocess.named(preprocess);
        return FolderData.spec(parsed.root().toString(), recipe, skipUnreadable || parsed.skipUnreadable());
    }
}
