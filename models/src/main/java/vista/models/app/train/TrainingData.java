package vista.models.app.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import vista.data.Cifar;
import vista.data.DataFileException;
import vista.data.Dataset;
import vista.data.FashionMnist;
import vista.data.Normalize;
import vista.data.Preprocess;
import vista.data.Transform;

/**
 * The data of a run, named by one string (the {@code --data} option):
 * <ul>
 *   <li>{@code fashion-mnist}: Fashion-MNIST from Debian's folder {@value FashionMnist#DEFAULT_FOLDER}
 *       ({@code apt-get install dataset-fashion-mnist});</li>
 *   <li>{@code cifar10:DIR}: CIFAR-10's binary version, {@code data_batch_1.bin} to {@code data_batch_5.bin}
 *       and {@code test_batch.bin} in DIR or in DIR/cifar-10-batches-bin (as the archive unpacks);</li>
 *   <li>{@code folder:DIR}, or {@code folder,OPTION,...:DIR}: image folders ImageNet-style, {@code DIR/train/<class>/*}
 *       and {@code DIR/val/<class>/*} (see {@link FolderData}), with options {@code preprocess=imagenet}
 *       (the default), {@code preprocess=none} and {@code skip-unreadable};</li>
 *   <li>any other string: a folder holding the four Fashion-MNIST IDX files
 *       ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 *       {@code t10k-labels-idx1-ubyte}, each possibly gzipped with .gz added), for example a copy of
 *       Fashion-MNIST or MNIST elsewhere.</li>
 * </ul>
 * The normalisation is the per-channel mean and standard deviation of the whole training split
 * ({@link Normalize#computedFrom}; 0.2860 and 0.3530 for Fashion-MNIST), measured before any limit, so
 * that {@code --limit-train} does not change it; with {@code preprocess=imagenet} it is ImageNet's
 * fixed one instead.
 *
 * @param spec      the {@code --data} string
 * @param train     the training images (the first {@code limitTrain} if a limit was given)
 * @param test      the test images (the first {@code limitTest} if a limit was given)
 * @param normalize the standardisation of the pixels, from the whole training split
 * @param files     the files the splits were read from, training files first (for a run's provenance)
 * @param augmentation the training augmentation this data prescribes (before normalisation), or empty
 *                  for the trainer's own (a padded random crop and a flip)
 */
public record TrainingData(String spec, Dataset train, Dataset test, Normalize normalize, List<Path> files,
                           List<Transform> augmentation) {
    /** The {@code --data} value for Fashion-MNIST in Debian's folder. */
    public static final String FASHION_MNIST = "fashion-mnist";
    private static final String CIFAR10 = "cifar10:";

    /**
     * Reads both splits of {@code spec}, keeping the first {@code limitTrain} and {@code limitTest} (0: all).
     *
     * @throws DataFileException if a file cannot be read, or naming the test images' file if its images
     *     differ from the training images in channels or size
     */
    public static TrainingData load(String spec, int limitTrain, int limitTest) throws DataFileException {
        if (FolderData.isFolderSpec(spec)) {
            FolderData folder = FolderData.parse(spec);
            FolderData.Splits splits = folder.read();
            checkSameImages(splits.train(), splits.test(), folder.trainFolder(), folder.testFolder());
            Normalize normalize = folder.normalize(splits.train());
            return new TrainingData(spec, first(splits.train(), limitTrain), first(splits.test(), limitTest), normalize,
                    splits.files(), folder.augmentation());
        }
        Dataset fullTrain = split(spec, true);
        Dataset fullTest = split(spec, false);
        List<Path> files = files(spec);
        checkSameImages(fullTrain, fullTest, files.getFirst(),
                spec.startsWith(CIFAR10) ? files.getLast() : files.get(2));
        Normalize normalize = Normalize.computedFrom(fullTrain);
        return new TrainingData(spec, first(fullTrain, limitTrain), first(fullTest, limitTest), normalize, files,
                List.of());
    }

    /**
     * Checks that the test images have the training images' channels and size (a model trained on one
     * size and tested on another would report figures about nothing), naming the files they came from.
     */
    private static void checkSameImages(Dataset train, Dataset test, Path trainImages, Path testImages)
            throws DataFileException {
        if (train.channels() == test.channels() && train.height() == test.height() && train.width() == test.width()) {
            return;
        }
        throw new DataFileException(testImages, "holds test images of " + shape(test) + ", but the training images"
                + " in " + trainImages + " are " + shape(train) + "; the test split must have the training"
                + " split's channels and size, so put a test split of " + shape(train) + " images beside it.");
    }

    private static String shape(Dataset images) {
        return images.channels() + " x " + images.height() + " x " + images.width();
    }

    /**
     * The test split of {@code spec} (the first {@code limit} images, 0: all) with the normalisation
     * {@code vista train} would use on it. The training split is read only when the normalisation is
     * measured on it: never for image folders with {@code preprocess=imagenet} (ImageNet's fixed mean and
     * standard deviation), so evaluating on an ImageNet folder opens only {@code DIR/val}.
     */
    public static TestSplit forEvaluation(String spec, int limit) throws DataFileException {
        if (FolderData.isFolderSpec(spec) && FolderData.parse(spec).preprocess() == Preprocess.IMAGENET) {
            return new TestSplit(loadTest(spec, limit), Preprocess.imagenetNormalize());
        }
        TrainingData both = load(spec, 0, limit);
        return new TestSplit(both.test(), both.normalize());
    }

    /** A test split and the normalisation its images get. */
    public record TestSplit(Dataset test, Normalize normalize) {
    }

    /** Reads the test split of {@code spec}, keeping the first {@code limit} images (0: all). */
    public static Dataset loadTest(String spec, int limit) throws DataFileException {
        if (FolderData.isFolderSpec(spec)) {
            return first(FolderData.parse(spec).readTest(), limit);
        }
        return first(split(spec, false), limit);
    }

    private static Dataset split(String spec, boolean train) throws DataFileException {
        if (spec.equals(FASHION_MNIST)) {
            return train ? FashionMnist.train() : FashionMnist.test();
        }
        if (spec.startsWith(CIFAR10)) {
            List<Path> files = cifarFiles(spec);
            return train ? Cifar.read10(files.subList(0, 5).toArray(Path[]::new)) : Cifar.read10(files.get(5));
        }
        Path folder = idxFolder(spec);
        return train ? FashionMnist.train(folder) : FashionMnist.test(folder);
    }

    /**
     * The files {@link #split} reads for both splits of {@code spec}, training files first: CIFAR-10's five
     * training files and its test file, or the IDX files' training images and labels, then test images
     * and labels.
     */
    private static List<Path> files(String spec) throws DataFileException {
        if (spec.equals(FASHION_MNIST)) {
            return FashionMnist.sourceFiles(FashionMnist.defaultFolder());
        }
        return spec.startsWith(CIFAR10) ? cifarFiles(spec) : FashionMnist.sourceFiles(idxFolder(spec));
    }

    private static Path idxFolder(String spec) throws DataFileException {
        Path folder = Path.of(spec);
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, "is not a folder. --data takes `" + FASHION_MNIST + "` (Debian's "
                    + FashionMnist.DEFAULT_FOLDER + "), `" + CIFAR10 + "DIR` (CIFAR-10's binary files in DIR), `folder:DIR`"
                    + " (DIR/train/<class>/* and DIR/val/<class>/* images), or a folder holding the four Fashion-MNIST"
                    + " IDX files.");
        }
        return folder;
    }

    /** CIFAR-10's five training files, then its test file. */
    private static List<Path> cifarFiles(String spec) throws DataFileException {
        Path folder = cifarFolder(Path.of(spec.substring(CIFAR10.length())));
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(cifarFile(folder, "data_batch_" + i + ".bin"));
        }
        files.add(cifarFile(folder, "test_batch.bin"));
        return files;
    }

    private static Path cifarFolder(Path dir) {
        Path unpacked = dir.resolve("cifar-10-batches-bin");
        return Files.isDirectory(unpacked) ? unpacked : dir;
    }

    private static Path cifarFile(Path folder, String name) throws DataFileException {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "does not exist. --data cifar10:DIR expects CIFAR-10's binary version"
                    + " (data_batch_1.bin to data_batch_5.bin and test_batch.bin, from cifar-10-binary.tar.gz at"
                    + " https://www.cs.toronto.edu/~kriz/cifar.html) in DIR or in DIR/cifar-10-batches-bin.");
        }
        return file;
    }

    private static Dataset first(Dataset dataset, int limit) {
        if (limit == 0 || limit >= dataset.size()) {
            return dataset;
        }
        return dataset.subset(IntStream.range(0, limit).toArray());
    }
}
