package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Rng;
import vista.tensor.runtime.Parallel;

/** {@link LazyImageFolder}: images decoded in the loader's threads, random resized crops at load time. */
class LazyImageFolderTest {
    private static final ImageFolder.Options OPTIONS = ImageFolder.Options.rgb().resize(12).centreCrop(10);

    @TempDir
    Path root;

    /** Classes "b" and "a", JPEG and PNG images of a few sizes with edges and gradients. */
    private void images() throws Exception {
        int[][] sizes = {{17, 13}, {13, 21}, {30, 12}, {12, 12}, {25, 19}};
        for (int i = 0; i < sizes.length; i++) {
            Path dir = Files.createDirectories(root.resolve(i % 2 == 0 ? "b" : "a"));
            BufferedImage image = ImageFiles.gradient(sizes[i][0], sizes[i][1]);
            String format = i % 2 == 0 ? "png" : "jpeg";
            assertTrue(ImageIO.write(image, format, dir.resolve("img" + i + "." + format).toFile()));
        }
    }

    @Test
    void thePlainFormIsTheInMemoryReadersBytes() throws Exception {
        images();
        Dataset eager = ImageFolder.read(root, OPTIONS);
        Dataset lazy = LazyImageFolder.read(root, OPTIONS, new RandomResizedCrop()).dataset();
        assertTrue(lazy.isLazy());
        assertEquals(eager.classNames(), lazy.classNames());
        assertEquals(eager.size(), lazy.size());
        for (int i = 0; i < eager.size(); i++) {
            assertEquals(eager.label(i), lazy.label(i));
            assertArrayEquals(eager.pixels(i), lazy.pixels(i), "sample " + i);
        }
        try (DataLoader loader = DataLoader.builder().setDataset(lazy.plain()).setBatchSize(5).setSeed(2)
                .optShuffle(false).build()) {
            float[] got = loader.epoch(0).iterator().next().images().toFloatArray();
            for (int k = 0; k < got.length; k++) {
                assertEquals((eager.pixels(k / 300)[k % 300] & 0xFF) / 255f, got[k], "plain() draws no crop: value " + k);
            }
        }
        Dataset subset = lazy.subset(3, 1);
        assertTrue(subset.isLazy());
        assertArrayEquals(eager.pixels(1), subset.pixels(1));
    }

    @Test
    void aLoaderCutsTheRandomResizedCropFromTheWholeImageWithTheSamplesLoadStream() throws Exception {
        images();
        RandomResizedCrop crop = new RandomResizedCrop();
        Dataset lazy = LazyImageFolder.read(root, OPTIONS, crop).dataset();
        List<Path> files = ImageFolder.list(root).files();
        try (DataLoader loader = DataLoader.builder().setDataset(lazy).setBatchSize(2).setSeed(9).build()) {
            for (Batch batch : loader.epoch(1)) {
                float[] got = batch.images().toFloatArray();
                for (int s = 0; s < batch.size(); s++) {
                    int i = batch.indices()[s];
                    BufferedImage image = ImageIO.read(files.get(i).toFile());
                    int h = image.getHeight();
                    int w = image.getWidth();
                    Rng stream = new Rng(9).split("augment").split(1).split(i).split("load");
                    int[] box = crop.window(h, w, stream);
                    byte[] planes = ImageFolder.channelPlanes(image, ImageFolder.ColorMode.RGB);
                    byte[] expected = ImageResize.resize(ImageResize.crop(planes, 3, h, w, box[0], box[1], box[2], box[3]),
                            3, box[2], box[3], 10, 10);
                    for (int k = 0; k < expected.length; k++) {
                        assertEquals((expected[k] & 0xFF) / 255f, got[s * 300 + k], "sample " + i + " value " + k);
                    }
                }
            }
        }
    }

    @Test
    void decodingInTheLoaderGivesTheSameBitsForAnyThreadCount() throws Exception {
        images();
        Dataset lazy = LazyImageFolder.read(root, OPTIONS, new RandomResizedCrop()).dataset();
        List<Transform> transforms = List.of(new RandomHorizontalFlip(), Preprocess.IMAGENET.normalize(lazy));
        List<float[]> one = Parallel.withThreads(1, () -> pixels(lazy, transforms));
        List<float[]> two = Parallel.withThreads(2, () -> pixels(lazy, transforms));
        assertEquals(one.size(), two.size());
        for (int b = 0; b < one.size(); b++) {
            assertArrayEquals(one.get(b), two.get(b), "batch " + b);
        }
    }

    private static List<float[]> pixels(Dataset data, List<Transform> transforms) {
        List<float[]> out = new ArrayList<>();
        try (DataLoader loader = DataLoader.builder().setDataset(data).setBatchSize(2).setSeed(4)
                .optTransforms(transforms).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : loader.epoch(epoch)) {
                    out.add(b.images().toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void headersAreCheckedUpFrontAndBadOnesSkippedOnRequest() throws Exception {
        images();
        Files.writeString(root.resolve("a/notes.jpg"), "not a jpeg");
        DataFileException e = assertThrows(DataFileException.class, () -> LazyImageFolder.read(root, OPTIONS, null));
        assertTrue(e.getMessage().startsWith(root.resolve("a/notes.jpg").toAbsolutePath() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-unreadable"), e.getMessage());
        ImageFolder.Read read = LazyImageFolder.read(root, OPTIONS.skippingUnreadable(), null);
        assertEquals(List.of(root.resolve("a/notes.jpg")), read.skipped());
        assertEquals(5, read.dataset().size());
        assertTrue(read.dataset().name().endsWith("(1 unreadable file skipped)"), read.dataset().name());
    }

    @Test
    void anImageDamagedAfterItsHeaderFailsTheBatchNamingTheFile() throws Exception {
        images();
        Path png = root.resolve("b/img0.png");
        byte[] bytes = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(bytes, 40));
        Dataset lazy = LazyImageFolder.read(root, OPTIONS, null).dataset();
        try (DataLoader loader = DataLoader.builder().setDataset(lazy).setBatchSize(8).setSeed(1).build()) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> loader.epoch(0).iterator().next());
            assertTrue(failure.getMessage().contains(png.toAbsolutePath().toString()), failure.getMessage());
        }
    }

    @Test
    void optionsWithoutACropAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LazyImageFolder.read(root, ImageFolder.Options.rgb(), null));
        assertTrue(e.getMessage().contains("need a crop"), e.getMessage());
    }
}
