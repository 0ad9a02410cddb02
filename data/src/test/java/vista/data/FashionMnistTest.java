package vista.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        Path missing = dir.resolve("no-such-folder");
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.train(missing));
        assertTrue(e.getMessage().startsWith(missing + ": no such folder"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("as root"), e.getMessage());
        assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
    }

    @Test
    void missingFileInAnExistingFolderSaysWhichAndHowToGetIt() {
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte"), TestFiles.idx(new int[] {1, 2, 2}, new byte[4]));
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.test(dir));
        assertTrue(e.getMessage().startsWith(dir + ": holds neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void readsUncompressedAndGzippedFilesUnderTheStandardNames() throws Exception {
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte"), TestFiles.idx(new int[] {2, 2, 2}, TestFiles.bytes(1, 2, 3, 4, 5, 6, 7, 8)));
        TestFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idx(new int[] {2}, TestFiles.bytes(9, 3))));
        Dataset test = FashionMnist.test(dir);
        assertEquals(2, test.size());
        assertEquals("Ankle boot", test.classNames().get(test.label(0)));
        assertEquals("Dress", test.classNames().get(test.label(1)));
        assertEquals(8, test.pixel(1, 0, 1, 1));
    }

    @Test
    void saysWhichFileItReadsWhenGzippedAndUncompressedCopiesAreBothThere() throws Exception {
        byte[] labels = TestFiles.idx(new int[] {2}, TestFiles.bytes(9, 3));
        byte[] images = TestFiles.idx(new int[] {2, 2, 2}, TestFiles.pattern(8, 1));
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        TestFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        assertEquals("Fashion-MNIST test", FashionMnist.test(dir).name(), "one copy of each file: nothing to say");

        TestFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), TestFiles.gzip(labels));
        assertEquals("Fashion-MNIST test (read from t10k-labels-idx1-ubyte.gz; the uncompressed file of the same name"
                + " beside it is not read)", FashionMnist.test(dir).name());
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), TestFiles.gzip(images));
        assertEquals("Fashion-MNIST test (read from t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz; the"
                + " uncompressed files of the same name beside them are not read)", FashionMnist.test(dir).name());
    }

    @Test
    void readsTheRealFashionMnistWhenInstalled() throws Exception {
        Path folder = FashionMnist.defaultFolder();
        assumeTrue(Files.isDirectory(folder), "Fashion-MNIST is not installed at " + folder
                + " (apt-get install dataset-fashion-mnist); skipping the test on the real files");
        Dataset train = FashionMnist.train(folder);
        Dataset test = FashionMnist.test(folder);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        for (Dataset d : new Dataset[] {train, test}) {
            assertEquals(1, d.channels());
            assertEquals(28, d.height());
            assertEquals(28, d.width());
            assertEquals(10, d.numClasses());
        }
        assertEquals(9, train.label(0));
        assertEquals("Ankle boot", train.classNames().get(train.label(0)));
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        for (int count : perClass) {
            assertEquals(6000, count, "Fashion-MNIST's training set has 6000 images per class");
        }
        Normalize stats = Normalize.computedFrom(train);
        assertEquals(0.2860, stats.mean()[0], 1e-4);
        assertEquals(0.3530, stats.std()[0], 1e-4);
    }
}
