package vista.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vista.tensor.runtime.Vectors;

/**
 * The machine's float32 FMA peak, the yardstick for {@link GemmBenchmark}: a loop of vector FMAs on
 * registers only, no memory traffic.
 *
 * <p>{@value #CHAINS} independent accumulators {@code s_i = fma(s_i, x, y)} keep both FMA pipes full
 * (latency 4 cycles x 2 pipes needs at least 8 chains in flight). One operation is one vector FMA of
 * {@link Vectors#LANES} lanes, 2 floating point operations per lane, so
 * {@code GFLOP/s = ops/s * 2 * LANES / 1e9} (x32 on AVX-512). {@code peak} runs on one thread, the
 * single-core peak; {@code peakTwoThreads} runs two copies at once, one per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int CHAINS = 16;
    private static final int LANES = Vectors.LANES;
    private static final int STEPS = 1 << 14;

    private final float[] sums = new float[CHAINS * LANES];

    /** Kept in fields so the JIT cannot fold the arithmetic away; the chains converge to 2, no overflow. */
    private float x = 0.5f;
    private float y = 1f;

    @Benchmark
    @OperationsPerInvocation(STEPS * CHAINS)
    public void peak(Blackhole sink) {
        fmaChains(sink);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(STEPS * CHAINS)
    public void peakTwoThreads(Blackhole sink) {
        fmaChains(sink);
    }

    /** Stores the chains' final values, then hands them to the blackhole (vectors are never boxed). */
    private void fmaChains(Blackhole sink) {
        FloatVector vx = FloatVector.broadcast(FLOAT, x);
        FloatVector vy = FloatVector.broadcast(FLOAT, y);
        FloatVector s0 = FloatVector.broadcast(FLOAT, 0f);
        FloatVector s1 = FloatVector.broadcast(FLOAT, 1f);
        FloatVector s2 = FloatVector.broadcast(FLOAT, 2f);
        FloatVector s3 = FloatVector.broadcast(FLOAT, 3f);
        FloatVector s4 = FloatVector.broadcast(FLOAT, 4f);
        FloatVector s5 = FloatVector.broadcast(FLOAT, 5f);
        FloatVector s6 = FloatVector.broadcast(FLOAT, 6f);
        FloatVector s7 = FloatVector.broadcast(FLOAT, 7f);
        FloatVector s8 = FloatVector.broadcast(FLOAT, 8f);
        FloatVector s9 = FloatVector.broadcast(FLOAT, 9f);
        FloatVector s10 = FloatVector.broadcast(FLOAT, 10f);
        FloatVector s11 = FloatVector.broadcast(FLOAT, 11f);
        FloatVector s12 = FloatVector.broadcast(FLOAT, 12f);
        FloatVector s13 = FloatVector.broadcast(FLOAT, 13f);
        FloatVector s14 = FloatVector.broadcast(FLOAT, 14f);
        FloatVector s15 = FloatVector.broadcast(FLOAT, 15f);
        for (int step = 0; step < STEPS; step++) {
            s0 = s0.fma(vx, vy);
            s1 = s1.fma(vx, vy);
            s2 = s2.fma(vx, vy);
            s3 = s3.fma(vx, vy);
            s4 = s4.fma(vx, vy);
            s5 = s5.fma(vx, vy);
            s6 = s6.fma(vx, vy);
            s7 = s7.fma(vx, vy);
            s8 = s8.fma(vx, vy);
            s9 = s9.fma(vx, vy);
            s10 = s10.fma(vx, vy);
            s11 = s11.fma(vx, vy);
            s12 = s12.fma(vx, vy);
            s13 = s13.fma(vx, vy);
            s14 = s14.fma(vx, vy);
            s15 = s15.fma(vx, vy);
        }
        s0.intoArray(sums, 0 * LANES);
        s1.intoArray(sums, 1 * LANES);
        s2.intoArray(sums, 2 * LANES);
        s3.intoArray(sums, 3 * LANES);
        s4.intoArray(sums, 4 * LANES);
        s5.intoArray(sums, 5 * LANES);
        s6.intoArray(sums, 6 * LANES);
        s7.intoArray(sums, 7 * LANES);
        s8.intoArray(sums, 8 * LANES);
        s9.intoArray(sums, 9 * LANES);
        s10.intoArray(sums, 10 * LANES);
        s11.intoArray(sums, 11 * LANES);
        s12.intoArray(sums, 12 * LANES);
        s13.intoArray(sums, 13 * LANES);
        s14.intoArray(sums, 14 * LANES);
        s15.intoArray(sums, 15 * LANES);
        sink.consume(sums);
    }
}
