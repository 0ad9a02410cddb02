package vista.tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class TilesTest {

    @Test
    void everyTileRunsExactlyOnceForAnyThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            for (int count : new int[] {0, 1, 2, 7, 100}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                Parallel.withThreads(threads, () -> {
                    Tiles.forEach(count, runs::incrementAndGet);
                    return null;
                });
                for (int t = 0; t < count; t++) {
                    assertEquals(1, runs.get(t), "tile " + t + " of " + count + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void nestedTilesComplete() {
        AtomicIntegerArray runs = new AtomicIntegerArray(12);
        Parallel.withThreads(2, () -> {
            Tiles.forEach(3, outer -> Tiles.forEach(4, inner -> runs.incrementAndGet(outer * 4 + inner)));
            return null;
        });
        for (int i = 0; i < 12; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void aFailingTileReachesTheCallerAfterTheOthersStop() {
        for (int threads = 1; threads <= 3; threads++) {
            int count = threads;
            AtomicIntegerArray running = new AtomicIntegerArray(1);
            var e = assertThrows(IllegalStateException.class, () -> Parallel.withThreads(count, () -> {
                Tiles.forEach(50, t -> {
                    running.incrementAndGet(0);
                    try {
                        if (t == 7) {
                            throw new IllegalStateException("tile 7 failed");
                        }
                    } finally {
                        running.decrementAndGet(0);
                    }
                });
                return null;
            }));
            assertTrue(e.getMessage().contains("tile 7 failed"), e.getMessage());
            assertEquals(0, running.get(0), "no tile may still run when forEach returns");
        }
    }

    /**
     * Two tiles that each wait for the other to start can only finish on two threads at once: a helper
     * must take the second tile, also after the helpers have parked (the pause outlasts their spin), and
     * inside a tile that a helper runs (a nested call). Four threads, because in the nested part both outer
     * tiles may go to helpers, each then holding one nested tile until a second thread starts the other,
     * while the caller, waiting for its job's last tiles, takes no other work (see {@link Crew}): a fourth
     * thread must serve the two nested calls one after the other. (With three, such a schedule waits
     * forever; Vista's kernels never have a tile wait for another, so for them it cannot arise.)
     */
    @Test
    void helpersTakeTilesAfterParkingAndInNestedCalls() {
        Parallel.withThreads(4, () -> {
            for (int round = 0; round < 3; round++) {
                meetInTwoTiles();
                sleep(20 * Crew.SPIN_MICROS / 1000 + 2);
            }
            Tiles.forEach(2, outer -> meetInTwoTiles());
            return null;
        });
    }

    private static void meetInTwoTiles() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Tiles.forEach(2, t -> {
            bothStarted.countDown();
            try {
                assertTrue(bothStarted.await(30, TimeUnit.SECONDS), "no second thread took a tile");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tileCountCoversAllUnits() {
        assertEquals(1, Tiles.count(0, 10));
        assertEquals(1, Tiles.count(10, 10));
        assertEquals(2, Tiles.count(11, 10));
    }

    @Test
    void withThreadsRestoresThePreviousCount() {
        int before = Parallel.threads();
        assertEquals(3, (int) Parallel.withThreads(3, Parallel::threads));
        assertEquals(before, Parallel.threads());
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertEquals("threads must be >= 1, got 0", e.getMessage());
    }
}
