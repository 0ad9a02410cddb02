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
import org.openjdk.jmh.infra.Blackhole;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.kernels.LocalSelfAttentionKernels;
import vista.tensor.kernels.LocalSelfAttentionReference;
import vista.tensor.runtime.Parallel;

/**
 * SASA's local self-attention in float32 by the fused kernel ({@link LocalSelfAttentionKernels}), the kernel
 * alone (the layer's three 1x1 projections are convolutions, measured elsewhere): queries, keys and
 * values of 8 x 64 x 56 x 56 (the first stage of a SASA ResNet) in 8 heads of dh = 8, scaled so that
 * the logits spread about 1; k x k neighbourhoods for k = 3 to 11, MASK border, logit scale 1.
 * <ul>
 *   <li>{@code forward}: output and attention weights. At k = 7 the content terms and the output are
 *       {@code 2 * 8 * 64 * 3136 * 49 = 157 M} multiply-adds, the softmax 9.8 M exponentials, and the
 *       weights it writes 39 MB.</li>
 *   <li>{@code forwardBackward}: adds the gradients of q, k, v and both embeddings from a given
 *       {@code dL/dout} (what one training step does per layer); backward is about twice the
 *       multiply-adds of forward.</li>
 * </ul>
 * The scalar reference, in double precision, would take seconds per call at this size, so it is
 * measured on one 14 x 14 image of 64 channels with k = 7 ({@code referenceSmall}), next to the fast
 * kernel on the same problem with one thread ({@code fastSmall}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LocalAttentionBenchmark {

    /** Queries, keys, values, embeddings and an output gradient of one problem, and its window. */
    static final class Problem {
        final LocalAttentionWindow window;
        final Tensor q;
        final Tensor k;
        final Tensor v;
        final Tensor relRow;
        final Tensor relColumn;
        final Tensor gradOutput;

        Problem(int batch, int channels, int size, int heads, int kernelSize) {
            window = new LocalAttentionWindow(heads, kernelSize, LocalAttentionWindow.Border.MASK, 1);
            int half = channels / heads / 2;
            Rng rng = new Rng(42);
            q = Tensor.randn(rng, batch, channels, size, size).mul(0.5);
            k = Tensor.randn(rng, batch, channels, size, size).mul(0.5);
            v = Tensor.randn(rng, batch, channels, size, size);
            relRow = Tensor.randn(rng, kernelSize, half).mul(0.5);
            relColumn = Tensor.randn(rng, kernelSize, half).mul(0.5);
            gradOutput = Tensor.randn(rng, batch, channels, size, size);
        }

        LocalSelfAttentionKernels.Forward forward() {
            return LocalSelfAttentionKernels.forward(q, k, v, relRow, relColumn, window);
        }

        void forwardBackward(Blackhole blackhole) {
            LocalSelfAttentionKernels.Forward f = forward();
            blackhole.consume(f);
            blackhole.consume(LocalSelfAttentionKernels.backward(gradOutput, q, k, v, relRow, relColumn, f.weights(), window));
        }
    }

    /** The benchmark shape, for one neighbourhood size and thread count. */
    @State(Scope.Benchmark)
    public static class Case {
        @Param({"3", "5", "7", "9", "11"})
        int kernelSize;

        @Param({"1", "2"})
        int threads;

        Problem problem;

        @Setup
        public void setUp() {
            problem = new Problem(8, 64, 56, 8, kernelSize);
            Parallel.setThreads(threads);
        }
    }

    /** One 14 x 14 image with k = 7, on one thread, small enough for the reference. */
    @State(Scope.Benchmark)
    public static class Small {
        Problem problem;

        @Setup
        public void setUp() {
            problem = new Problem(1, 64, 14, 8, 7);
            Parallel.setThreads(1);
        }
    }

    @Benchmark
    public LocalSelfAttentionKernels.Forward forward(Case s) {
        return s.problem.forward();
    }

    @Benchmark
    public void forwardBackward(Case s, Blackhole blackhole) {
        s.problem.forwardBackward(blackhole);
    }

    @Benchmark
    public void fastSmall(Small s, Blackhole blackhole) {
        s.problem.forwardBackward(blackhole);
    }

    @Benchmark
    public void referenceSmall(Small s, Blackhole blackhole) {
        Problem p = s.problem;
        LocalSelfAttentionKernels.Forward f = LocalSelfAttentionReference.forward(p.q, p.k, p.v, p.relRow, p.relColumn,
                p.window);
        blackhole.consume(f);
        blackhole.consume(LocalSelfAttentionReference.backward(p.gradOutput, p.q, p.k, p.v, p.relRow, p.relColumn,
                f.weights(), p.window));
    }
}
