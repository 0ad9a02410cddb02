package vista.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vista.tensor.runtime.Parallel;
import vista.tensor.runtime.Tiles;

/**
 * What {@link Tiles#forEach} gives a short memory-bound pass: {@code b[i] = 1.5 a[i] + 1} over
 * {@code floats} elements cut into 16 tiles, called back to back on the same arrays, as consecutive
 * elementwise operations of a step are. The time per call on 1 and 2 threads shows how much of such a
 * pass the second thread takes over; the arrays (8 bytes per element in all) sit in the cores' caches
 * from one call to the next.
 *
 * <pre>
 *   ./vista bench TilesBenchmark -p floats=262144 -p threads=1,2
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TilesBenchmark {
    private static final int TILES = 16;

    @Param({"65536", "262144", "1048576"})
    int floats;

    @Param({"1", "2"})
    int threads;

    private float[] a;
    private float[] b;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        a = new float[floats];
        b = new float[floats];
        for (int i = 0; i < floats; i++) {
            a[i] = i % 7;
        }
    }

    @Benchmark
    public float[] pass() {
        int perTile = floats / TILES;
        Tiles.forEach(TILES, t -> {
            for (int i = t * perTile; i < (t + 1) * perTile; i++) {
                b[i] = 1.5f * a[i] + 1f;
            }
        });
        return b;
    }
}
