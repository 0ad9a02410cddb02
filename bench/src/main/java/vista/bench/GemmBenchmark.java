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
import vista.tensor.Rng;
import vista.tensor.kernels.GemmKernels;
import vista.tensor.runtime.Parallel;

/**
 * {@code C = A B} in float32 by {@link GemmKernels#fast} and {@link GemmKernels#reference}, row-major, no transposes.
 *
 * <p>A shape {@code "MxNxK"} is {@code (M x K) times (K x N)}: the squares 256, 512 and 1024, and
 * {@code 64x3136x576}, a 3x3 convolution from 64 to 64 channels on a 56 x 56 image as GEMM
 * ({@code W (64 x 576) times im2col (576 x 3136)}). One operation is one product, {@code 2 M N K} floating
 * point operations, so {@code GFLOP/s = ops/s * 2 M N K / 1e9}; {@code bench/RESULTS.md} has the table.
 * The scalar reference runs only at 256 and 512 and on one thread (it is serial), where it finishes in
 * reasonable time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark {

    /** Random operands and a result buffer for one shape. */
    public abstract static class Operands {
        int m;
        int n;
        int k;
        float[] a;
        float[] b;
        float[] c;

        void allocate(String shape, int threads) {
            String[] mnk = shape.split("x");
            m = Integer.parseInt(mnk[0]);
            n = Integer.parseInt(mnk[1]);
            k = Integer.parseInt(mnk[2]);
            Rng rng = new Rng(42);
            a = gaussian(rng, m * k);
            b = gaussian(rng, k * n);
            c = new float[m * n];
            Parallel.setThreads(threads);
        }

        private static float[] gaussian(Rng rng, int length) {
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = (float) rng.nextGaussian();
            }
            return values;
        }
    }

    /** Shapes and thread counts for the fast kernel. */
    @State(Scope.Benchmark)
    public static class FastCase extends Operands {
        @Param({"256x256x256", "512x512x512", "1024x1024x1024", "64x3136x576"})
        String shape;

        @Param({"1", "2"})
        int threads;

        @Setup
        public void setUp() {
            allocate(shape, threads);
        }
    }

    /** Shapes for the serial reference kernel: only those it finishes in reasonable time. */
    @State(Scope.Benchmark)
    public static class ReferenceCase extends Operands {
        @Param({"256x256x256", "512x512x512"})
        String shape;

        @Setup
        public void setUp() {
            allocate(shape, 1);
        }
    }

    @Benchmark
    public float[] fast(FastCase s) {
        GemmKernels.fast(false, false, s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, s.c, 0, s.n, false);
        return s.c;
    }

    @Benchmark
    public float[] reference(ReferenceCase s) {
        GemmKernels.reference(false, false, s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, s.c, 0, s.n, false);
        return s.c;
    }
}
