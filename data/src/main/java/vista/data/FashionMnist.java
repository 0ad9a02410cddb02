package vista.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28x28 grey images of clothing in 10 classes, 60,000 for
 * training and 10,000 for testing, stored as four IDX files (see {@link IdxFile}).
 *
 * <p>The files are looked for in one folder, each either gzipped ({@code train-images-idx3-ubyte.gz}) or
 * not ({@code train-images-idx3-ubyte}); the gzipped name is tried first, and when both are there the data
 * set's name says which is read ({@link #read}). The default folder is where
 * Debian's package {@code dataset-fashion-mnist} puts them: {@value #DEFAULT_FOLDER}. A missing folder
 * or file is a {@link DataFileException} that says how to get the data.
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEFAULT_FOLDER = "/usr/share/datasets/fashion-mnist";

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String HOW_TO_GET_IT = "To get Fashion-MNIST, run `apt-get install dataset-fashion-mnist` as root"
            + " (it installs the four files into " + DEFAULT_FOLDER + "), or pass --data DIR pointing to a folder"
            + " holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
            + " t10k-labels-idx1-ubyte (each may be gzipped, with .gz added to its name).";

    private FashionMnist() {
    }

    /** The default folder, {@value #DEFAULT_FOLDER}. */
    public static Path defaultFolder() {
        return Path.of(DEFAULT_FOLDER);
    }

    /** The 60,000 training images from {@value #DEFAULT_FOLDER}. */
    public static Dataset train() throws DataFileException {
        return train(defaultFolder());
    }

    /** The 10,000 test images from {@value #DEFAULT_FOLDER}. */
    public static Dataset test() throws DataFileException {
        return test(defaultFolder());
    }

    /** The 60,000 training images from {@code folder}. */
    public static Dataset train(Path folder) throws DataFileException {
        return read(folder, "train", "Fashion-MNIST train");
    }

    /** The 10,000 test images from {@code folder}. */
    public static Dataset test(Path folder) throws DataFileException {
        return read(folder, "t10k", "Fashion-MNIST test");
    }

    /**
     * The files {@link #train(Path)} and {@link #test(Path)} read from {@code folder}, in that order:
     * training images and labels, then test images and labels (each the {@code .gz} file if there is one).
     */
    public static List<Path> sourceFiles(Path folder) throws DataFileException {
        List<Path> files = new ArrayList<>();
        for (String prefix : List.of("train", "t10k")) {
            files.addAll(splitFiles(folder, prefix));
        }
        return files;
    }

    /**
     * One split, named {@code name}; if an uncompressed file lies beside a {@code .gz} file that is read,
     * the name adds which is read and which is not, so that the commands that announce their data say it.
     */
    private static Dataset read(Path folder, String prefix, String name) throws DataFileException {
        List<Path> files = splitFiles(folder, prefix);
        List<String> preferred = files.stream().map(f -> f.getFileName().toString())
                .filter(f -> f.endsWith(".gz") && Files.isRegularFile(folder.resolve(f.replaceFirst("\\.gz$", ""))))
                .toList();
        String source = preferred.isEmpty() ? name : name + " (read from " + String.join(" and ", preferred)
                + "; the uncompressed " + (preferred.size() == 1 ? "file" : "files") + " of the same name beside "
                + (preferred.size() == 1 ? "it is" : "them are") + " not read)";
        return IdxDataset.read(source, files.get(0), files.get(1), CLASS_NAMES);
    }

    /** The images file and the labels file of one split. */
    private static List<Path> splitFiles(Path folder, String prefix) throws DataFileException {
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, (Files.exists(folder) ? "is not a folder" : "no such folder")
                    + ", so Fashion-MNIST cannot be read from it. " + HOW_TO_GET_IT);
        }
        return List.of(find(folder, prefix + "-images-idx3-ubyte"), find(folder, prefix + "-labels-idx1-ubyte"));
    }

    private static Path find(Path folder, String baseName) throws DataFileException {
        Path gzipped = folder.resolve(baseName + ".gz");
        if (Files.isRegularFile(gzipped)) {
            return gzipped;
        }
        Path plain = folder.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DataFileException(folder, "holds neither " + baseName + ".gz nor " + baseName
                + ", so Fashion-MNIST cannot be read from it. " + HOW_TO_GET_IT);
    }
}
