package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vista.tensor.Rng;

class TransformsTest {

    /** A 2 x 2 x 3 image: channel c, row y, column x holds 100 c + 10 y + x. */
    private static FloatImage tinyImage() {
        float[] data = new float[12];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    data[(c * 2 + y) * 3 + x] = 100 * c + 10 * y + x;
                }
            }
        }
        return FloatImage.of(data, 2, 2, 3);
    }

    @Test
    void horizontalFlipMirrorsEachRow() {
        FloatImage image = tinyImage();
        RandomHorizontalFlip.flip(image);
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110}, image.data());
    }

    @Test
    void flipOnlyTouchesItsWindowOfTheArray() {
        float[] data = {-1, 1, 2, 3, -1};
        RandomHorizontalFlip.flip(new FloatImage(data, 1, 1, 1, 3));
        assertArrayEquals(new float[] {-1, 3, 2, 1, -1}, data);
    }

    @Test
    void randomFlipDecidesWithOneFloatFromTheRng() {
        for (long seed = 0; seed < 50; seed++) {
            FloatImage image = tinyImage();
            new RandomHorizontalFlip().apply(image, new Rng(seed));
            boolean flipped = image.get(0, 0, 0) == 2;
            assertEquals(new Rng(seed).nextFloat() < 0.5f, flipped, "seed " + seed);
        }
        FloatImage never = tinyImage();
        new RandomHorizontalFlip(0).apply(never, new Rng(1));
        assertArrayEquals(tinyImage().data(), never.data());
    }

    @Test
    void cropShiftsAndPadsWithZeros() {
        float[] nine = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        FloatImage image = FloatImage.of(nine.clone(), 1, 3, 3);
        RandomCrop.shift(image, 1, -1); // out(y, x) = in(y + 1, x - 1)
        assertArrayEquals(new float[] {0, 4, 5, 0, 7, 8, 0, 0, 0}, image.data());

        FloatImage unchanged = FloatImage.of(nine.clone(), 1, 3, 3);
        RandomCrop.shift(unchanged, 0, 0);
        assertArrayEquals(nine, unchanged.data());
    }

    @Test
    void randomCropDrawsTopThenLeftAndReachesEveryOffset() {
        int padding = 2;
        Set<List<Integer>> seen = new HashSet<>();
        for (long seed = 0; seed < 400; seed++) {
            Rng draws = new Rng(seed);
            int top = draws.nextInt(2 * padding + 1);
            int left = draws.nextInt(2 * padding + 1);
            seen.add(List.of(top, left));
            FloatImage expected = tinyImage();
            RandomCrop.shift(expected, top - padding, left - padding);
            FloatImage actual = tinyImage();
            new RandomCrop(padding).apply(actual, new Rng(seed));
            assertArrayEquals(expected.data(), actual.data(), "seed " + seed);
        }
        assertEquals(25, seen.size(), "every (top, left) in 0..4 x 0..4 occurs");
    }

    @Test
    void normaliseSubtractsTheMeanAndDividesByTheStdPerChannel() {
        FloatImage image = FloatImage.of(new float[] {0.5f, 1f, 0f, 0.75f}, 2, 1, 2);
        new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.25f, 0.5f}).apply(image, new Rng(0));
        assertArrayEquals(new float[] {0f, 2f, -0.5f, 1f}, image.data());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void normaliseComputedFromADatasetUsesPopulationStatistics() {
        // Channel 0: bytes 0, 255, 255, 255 -> mean 0.75, std sqrt(0.75 - 0.5625) = 0.4330.
        // Channel 1: bytes 51 everywhere but one 102 -> mean (3 * 0.2 + 0.4) / 4 = 0.25, std 0.0866.
        byte[] pixels = TestFiles.bytes(0, 255, 51, 51, 255, 255, 51, 102);
        Dataset d = new Dataset("two", 2, 1, 2, pixels, new int[] {0, 0}, List.of("only"));
        Normalize n = Normalize.computedFrom(d);
        assertArrayEquals(new float[] {0.75f, 0.25f}, n.mean(), 1e-7f);
        assertArrayEquals(new float[] {(float) Math.sqrt(0.1875), (float) Math.sqrt(0.0075)}, n.std(), 1e-6f);
    }

    @Test
    void augmentationDependsOnlyOnSeedEpochAndIndex() {
        Dataset data = TestFiles.dataset(11, 3, 8, 8, 3);
        Transform[] augment = {new RandomCrop(4), new RandomHorizontalFlip()};
        DataLoader shuffledBy4 = DataLoader.builder().setDataset(data).setBatchSize(4).setSeed(5)
                .optTransforms(augment).build();
        DataLoader inOrderBy3 = DataLoader.builder().setDataset(data).setBatchSize(3).setSeed(5)
                .optShuffle(false).optPrefetch(0).optTransforms(augment).build();
        DataLoader otherSeed = DataLoader.builder().setDataset(data).setBatchSize(3).setSeed(6)
                .optShuffle(false).optTransforms(augment).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            float[][] a = imagesByIndex(shuffledBy4, epoch);
            float[][] b = imagesByIndex(inOrderBy3, epoch);
            for (int i = 0; i < data.size(); i++) {
                assertArrayEquals(a[i], b[i], "sample " + i + " of epoch " + epoch);
            }
        }
        // ... and it does depend on each of them.
        assertFalse(Arrays.deepEquals(imagesByIndex(inOrderBy3, 0), imagesByIndex(inOrderBy3, 1)));
        assertFalse(Arrays.deepEquals(imagesByIndex(inOrderBy3, 0), imagesByIndex(otherSeed, 0)));
        // Identical images at different indices are augmented differently.
        Dataset twins = new Dataset("twins", 1, 8, 8, TestFiles.pattern(2 * 64, 0), new int[] {0, 0}, List.of("a"));
        twins = twins.subset(0, 0, 0, 0, 0, 0);
        float[][] augmented = imagesByIndex(DataLoader.builder().setDataset(twins).setBatchSize(6).setSeed(5)
                .optTransforms(augment).build(), 0);
        Set<String> distinct = new HashSet<>();
        for (float[] image : augmented) {
            distinct.add(Arrays.toString(image));
        }
        assertTrue(distinct.size() > 1, "six identical images all got the same crop and flip");
    }

    /** The transformed pixels of every sample of an epoch, indexed by the sample's index in the data set. */
    static float[][] imagesByIndex(DataLoader loader, int epoch) {
        float[][] out = new float[loader.dataset().size()][];
        int sampleSize = loader.dataset().sampleSize();
        for (Batch batch : loader.epoch(epoch)) {
            float[] pixels = batch.images().toFloatArray();
            for (int s = 0; s < batch.size(); s++) {
                out[batch.indices()[s]] = Arrays.copyOfRange(pixels, s * sampleSize, (s + 1) * sampleSize);
            }
        }
        return out;
    }
}
