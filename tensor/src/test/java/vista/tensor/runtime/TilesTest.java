package vista.tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
