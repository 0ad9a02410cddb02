package vista.models.app.cli;

import picocli.CommandLine.Option;
import vista.models.app.train.TrainingData;

/**
 * {@code --data DATA}: a data set in one of the forms {@link TrainingData} reads (it also says what is
 * wrong with one it cannot). A command that trains starts from {@code new DataOption(TrainingData.FASHION_MNIST)};
 * one that reads a checkpoint from {@code new DataOption()}, whose null means the checkpoint's own data.
 */
final class DataOption {
    @Option(names = "--data", paramLabel = "DATA",
            description = "fashion-mnist (Debian's /usr/share/datasets/fashion-mnist), cifar10:DIR (CIFAR-10's"
                    + " binary files in DIR), or a folder holding the four Fashion-MNIST IDX files (default:"
                    + " fashion-mnist for a new run, else the data the checkpoint's run trained on).")
    String spec;

    /** No default: the data a checkpoint's run trained on. */
    DataOption() {
    }

    DataOption(String defaultSpec) {
        this.spec = defaultSpec;
    }
}
