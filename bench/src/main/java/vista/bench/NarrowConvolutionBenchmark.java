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
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;
import vista.tensor.runtime.Parallel;

/**
 * The 1x1 convolutions of SAN's γ mapping in {@code san10-pairwise-mini} at batch 64, forward and both
 * backward passes (what a training step does per layer): few channels over many positions, the relation
 * tensor {@code (N, C, K, L)} of K neighbours for each of L pixels. The {@code shape} parameter is
 * {@code IN-OUT-K-L}:
 * <ul>
 *   <li>{@code 6-4-49-196}: layer1's first γ convolution (rel + 2 = 6 to rel = 4 channels, 7 x 7 footprint
 *       on 14 x 14 pixels);</li>
 *   <li>{@code 4-2-49-196}: its second (to C / share = 2 channels, with a bias);</li>
 *   <li>{@code 10-8-49-49} and {@code 18-16-49-49}: layer2's and layer3's first (7 x 7 pixels).</li>
 * </ul>
 * The first three have products of at most 4 rows (a forward to few channels, an input gradient from few)
 * or at most 16 columns (a weight gradient from few input channels), which GEMM runs by {@code NarrowGemm}'s
 * unpacked kernels; {@code 18-16-49-49} stays on the packed kernel, where the narrow ones stop paying. The
 * cases use public API only, so the same file measures older builds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NarrowConvolutionBenchmark {

    /** Input, weight, bias and output gradient for one convolution, and the thread count. */
    @State(Scope.Benchmark)
    public static class Case {
        @Param({"6-4-49-196", "4-2-49-196", "10-8-49-49", "18-16-49-49"})
        String shape;

        @Param({"1", "2"})
        int threads;

        ConvGeometry geometry;
        Tensor x;
        Tensor w;
        Tensor b;
        Tensor gradOutput;

        @Setup
        public void setUp() {
            String[] s = shape.split("-");
            int in = Integer.parseInt(s[0]);
            int out = Integer.parseInt(s[1]);
            geometry = ConvGeometry.convolution(in, out, 1).build();
            Rng rng = new Rng(42);
            x = Tensor.randn(rng, 64, in, Integer.parseInt(s[2]), Integer.parseInt(s[3]));
            w = Tensor.randn(rng, geometry.weightShape().dims()).mul(0.3);
            b = Tensor.randn(rng, out);
            gradOutput = Tensor.randn(rng, geometry.outputShape(x.shape()).dims());
            Parallel.setThreads(threads);
        }
    }

    @Benchmark
    public void forwardBackward(Case s, Blackhole blackhole) {
        blackhole.consume(ConvolutionKernels.forward(s.x, s.w, s.b, s.geometry));
        blackhole.consume(ConvolutionKernels.backwardInput(s.gradOutput, s.w, s.x.shape(), s.geometry));
        blackhole.consume(ConvolutionKernels.backwardWeight(s.gradOutput, s.x, s.geometry));
    }
}
