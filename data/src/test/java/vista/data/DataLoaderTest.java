package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.runtime.Parallel;

class DataLoaderTest {

    private static DataLoader.Builder loader(Dataset data, int batchSize) {
        return DataLoader.builder().setDataset(data).setBatchSize(batchSize).setSeed(42);
    }

    @Test
    void everySampleExactlyOncePerEpoch() {
        for (int n : new int[] {1, 7, 10, 33}) {
            Dataset data = TestFiles.dataset(n, 1, 2, 2, 3);
            for (int batchSize : new int[] {1, 4, 8, 64}) {
                for (int prefetch : new int[] {0, 1, 3}) {
                    try (DataLoader loader = loader(data, batchSize).optPrefetch(prefetch).build()) {
                        assertEquals((n + batchSize - 1) / batchSize, loader.batchesPerEpoch());
                        for (int epoch = 0; epoch < 3; epoch++) {
                            String where = "n=" + n + ", batch " + batchSize + ", prefetch " + prefetch + ", epoch " + epoch;
                            List<Integer> seen = new ArrayList<>();
                            int batches = 0;
                            for (Batch batch : loader.epoch(epoch)) {
                                boolean last = batches == loader.batchesPerEpoch() - 1;
                                assertEquals(last ? n - batchSize * batches : batchSize, batch.size(), where);
                                assertEquals(batches++, batch.number(), where);
                                assertEquals(epoch, batch.epoch(), where);
                                for (int s = 0; s < batch.size(); s++) {
                                    seen.add(batch.indices()[s]);
                                    assertEquals(data.label(batch.indices()[s]), batch.labels()[s], where);
                                }
                            }
                            assertEquals(loader.batchesPerEpoch(), batches, where);
                            assertArrayEquals(loader.sampleOrder(epoch), seen.stream().mapToInt(i -> i).toArray(), where);
                            int[] sorted = seen.stream().mapToInt(i -> i).sorted().toArray();
                            assertArrayEquals(Shuffle.identity(n), sorted, where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dropLastDropsOnlyTheLastPartialBatch() {
        Dataset data = TestFiles.dataset(10, 1, 1, 1, 2);
        DataLoader loader = loader(data, 4).optDropLast(true).optPrefetch(0).build();
        assertEquals(2, loader.batchesPerEpoch());
        assertEquals(8, loader.samplesPerEpoch());
        int[] order = loader.sampleOrder(0);
        assertEquals(8, order.length);
        int count = 0;
        for (Batch batch : loader.epoch(0)) {
            assertEquals(4, batch.size());
            assertArrayEquals(Arrays.copyOfRange(order, 4 * count, 4 * count + 4), batch.indices());
            count++;
        }
        assertEquals(2, count);
        assertThrows(IllegalArgumentException.class, () -> loader(data, 11).optDropLast(true).build());
    }

    @Test
    void sameSeedSameOrder() {
        Dataset data = TestFiles.dataset(50, 1, 1, 1, 2);
        DataLoader a = loader(data, 8).build();
        DataLoader b = loader(data, 8).build();
        DataLoader other = loader(data, 8).setSeed(43).build();
        for (int epoch = 0; epoch < 4; epoch++) {
            assertArrayEquals(a.sampleOrder(epoch), b.sampleOrder(epoch));
            assertFalse(Arrays.equals(a.sampleOrder(epoch), other.sampleOrder(epoch)));
        }
        // Epoch 3 does not depend on whether epochs 0..2 were visited first.
        assertArrayEquals(a.sampleOrder(3), loader(data, 8).build().sampleOrder(3));
    }

    @Test
    void differentEpochsShuffleDifferently() {
        DataLoader loader = loader(TestFiles.dataset(50, 1, 1, 1, 2), 8).build();
        for (int epoch = 0; epoch < 5; epoch++) {
            assertFalse(Arrays.equals(loader.sampleOrder(epoch), loader.sampleOrder(epoch + 1)), "epoch " + epoch);
            assertFalse(Arrays.equals(Shuffle.identity(50), loader.sampleOrder(epoch)));
        }
        DataLoader unshuffled = loader(TestFiles.dataset(50, 1, 1, 1, 2), 8).optShuffle(false).build();
        assertArrayEquals(Shuffle.identity(50), unshuffled.sampleOrder(3));
    }

    @Test
    void shuffleIsTheDocumentedFisherYatesOnTheEpochsStream() {
        int n = 37;
        long seed = 42;
        int epoch = 2;
        Rng rng = new Rng(seed).split("shuffle").split(epoch);
        int[] expected = Shuffle.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, loader(TestFiles.dataset(n, 1, 1, 1, 2), 5).build().sampleOrder(epoch));
    }

    @Test
    void batchesAreFloat32NchwWithPixelsOver255() {
        Dataset data = TestFiles.dataset(5, 3, 2, 4, 2);
        DataLoader loader = loader(data, 2).optShuffle(false).build();
        Batch first = loader.epoch(0).iterator().next();
        assertEquals(Shape.of(2, 3, 2, 4), first.images().shape());
        assertEquals(data.pixel(1, 2, 1, 3) / 255f, (float) first.images().get(1, 2, 1, 3));
        assertEquals(data.pixel(0, 1, 0, 2) / 255f, (float) first.images().get(0, 1, 0, 2));
        assertArrayEquals(new int[] {0, 1}, first.labels());
        loader.close();
    }

    @Test
    void prefetchGivesSameBatchesAsNoPrefetch() {
        Dataset data = TestFiles.dataset(29, 3, 6, 6, 4);
        Transform[] transforms = {new RandomCrop(2), new RandomHorizontalFlip(), Normalize.computedFrom(data)};
        try (DataLoader direct = loader(data, 8).optPrefetch(0).optTransforms(transforms).build();
                DataLoader ahead = loader(data, 8).optPrefetch(2).optTransforms(transforms).build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                assertSameBatches(direct, ahead, epoch);
            }
        }
    }

    @Test
    void sameBitsForAnyThreadCount() {
        Dataset data = TestFiles.dataset(29, 3, 6, 6, 4);
        Transform[] transforms = {new RandomCrop(2), new RandomHorizontalFlip(), Normalize.computedFrom(data)};
        try (DataLoader one = loader(data, 8).optTransforms(transforms).build();
                DataLoader three = loader(data, 8).optTransforms(transforms).build()) {
            List<float[]> single = Parallel.withThreads(1, () -> allPixels(one, 1));
            List<float[]> triple = Parallel.withThreads(3, () -> allPixels(three, 1));
            assertEquals(single.size(), triple.size());
            for (int b = 0; b < single.size(); b++) {
                assertArrayEquals(single.get(b), triple.get(b), "batch " + b);
            }
        }
    }

    @Test
    void errorsInPrefetchReachTheCaller() {
        Dataset data = TestFiles.dataset(20, 1, 2, 2, 2);
        IllegalStateException boom = new IllegalStateException("cannot transform sample 13");
        Transform failsOn13 = (image, rng) -> {
            if (image.offset() >= 0 && image.data()[image.offset()] == data.pixel(13, 0, 0, 0) / 255f) {
                throw boom;
            }
        };
        for (int prefetch : new int[] {2, 0}) {
            try (DataLoader loader = loader(data, 4).optShuffle(false).optPrefetch(prefetch)
                    .optTransforms(failsOn13).build()) {
                Iterator<Batch> batches = loader.epoch(0).iterator();
                for (int b = 0; b < 3; b++) {
                    assertEquals(b, batches.next().number(), "batches before the failure arrive");
                }
                IllegalStateException e = assertThrows(IllegalStateException.class, batches::next);
                assertSame(boom, e.getCause(), "prefetch " + prefetch);
                assertEquals("DataLoader: preparing sample 13 (position 1 of batch 3, epoch 0) failed: " + boom,
                        e.getMessage());
                assertFalse(batches.hasNext());
            }
        }
    }

    @Test
    void closingTheLoaderStopsThePrefetchThread() throws Exception {
        Dataset data = TestFiles.dataset(200, 1, 4, 4, 2);
        DataLoader loader = loader(data, 2).optPrefetch(2).build();
        Iterator<Batch> batches = loader.epoch(0).iterator();
        batches.next();
        Thread.sleep(50); // let the thread fill the queue and block
        assertTrue(prefetchThreadsAlive() > 0);
        loader.close();
        assertEquals(0, prefetchThreadsAlive());
        IllegalStateException e = assertThrows(IllegalStateException.class, batches::next);
        assertTrue(e.getMessage().contains("stopped after 1 of 100 batches"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loader.epoch(1).iterator());
    }

    @Test
    void startingAnotherPassStopsThePreviousOne() {
        Dataset data = TestFiles.dataset(200, 1, 4, 4, 2);
        for (int prefetch : new int[] {0, 2}) {
            try (DataLoader loader = loader(data, 2).optPrefetch(prefetch).build()) {
                Iterator<Batch> first = loader.epoch(0).iterator();
                first.next();
                Iterator<Batch> second = loader.epoch(1).iterator();
                assertThrows(IllegalStateException.class, first::next, "prefetch " + prefetch);
                assertEquals(1, second.next().epoch());
                assertTrue(prefetchThreadsAlive() <= 1);
            }
            assertEquals(0, prefetchThreadsAlive());
        }
    }

    @Test
    void randomAccessBatchEqualsTheIteratedOne() {
        Dataset data = TestFiles.dataset(13, 1, 3, 3, 2);
        try (DataLoader loader = loader(data, 5).optTransforms(new RandomCrop(1)).build()) {
            List<float[]> iterated = allPixels(loader, 2);
            for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                assertArrayEquals(iterated.get(b), loader.batch(2, b).images().toFloatArray());
            }
        }
    }

    private static void assertSameBatches(DataLoader a, DataLoader b, int epoch) {
        Iterator<Batch> x = a.epoch(epoch).iterator();
        Iterator<Batch> y = b.epoch(epoch).iterator();
        while (x.hasNext()) {
            assertTrue(y.hasNext());
            Batch p = x.next();
            Batch q = y.next();
            assertArrayEquals(p.indices(), q.indices());
            assertArrayEquals(p.labels(), q.labels());
            assertEquals(p.images().shape(), q.images().shape());
            assertArrayEquals(p.images().toFloatArray(), q.images().toFloatArray(), "epoch " + epoch + ", batch " + p.number());
        }
        assertFalse(y.hasNext());
    }

    private static List<float[]> allPixels(DataLoader loader, int epoch) {
        List<float[]> out = new ArrayList<>();
        for (Batch batch : loader.epoch(epoch)) {
            out.add(batch.images().toFloatArray());
        }
        return out;
    }

    private static long prefetchThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vista-data-prefetch") && t.isAlive())
                .count();
    }
}
