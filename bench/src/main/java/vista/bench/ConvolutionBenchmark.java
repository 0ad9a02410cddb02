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
 * 2-D convolution in float32 by the fast kernels ({@link ConvolutionKernels}), on a batch of 8 images of
 * 56 x 56, the size of ResNet's first stage, without bias (as in ResNet):
 * <ul>
 *   <li>{@code 3x3}: 64 to 64 channels, stride 1, padding 1 (a basic block's convolution);</li>
 *   <li>{@code 1x1}: 256 to 64 channels (a bottleneck's reducing convolution).</li>
 * </ul>
 * {@code forward} is {@code y = conv(x, w)}; {@code forwardBackward} adds both backward passes,
 * {@code dL/dx} and {@code dL/dw}, for a given {@code dL/dy} (what one training step does per layer).
 * The 3x3 forward is {@code 2 * 8 * 64 * 576 * 3136 = 1.85} GFLOP, forward and backward three times that.
 * The scalar reference is not measured: at this size it takes seconds per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConvolutionBenchmark {

    /** Input, weight and output gradient for one convolution, and the thread count. */
    @State(Scope.Benchmark)
    public static class Case {
        @Param({"3x3", "1x1"})
        String kernel;

        @Param({"1", "2"})
        int threads;

        ConvGeometry geometry;
        Tensor x;
        Tensor w;
        Tensor gradOutput;

        @Setup
        public void setUp() {
            int batch = 8;
            int size = 56;
            geometry = kernel.equals("3x3")
                    ? ConvGeometry.convolution(64, 64, 3).padding(1).build()
                    : ConvGeometry.convolution(256, 64, 1).build();
            Rng rng = new Rng(42);
            x = Tensor.randn(rng, batch, geometry.inChannels(), size, size);
            w = Tensor.randn(rng, geometry.weightShape().dims()).mul(0.05);
            gradOutput = Tensor.randn(rng, geometry.outputShape(x.shape()).dims());
            Parallel.setThreads(threads);
        }
    }

    @Benchmark
    public Tensor forward(Case s) {
        return ConvolutionKernels.forward(s.x, s.w, null, s.geometry);
    }

    @Benchmark
    public void forwardBackward(Case s, Blackhole blackhole) {
        blackhole.consume(ConvolutionKernels.forward(s.x, s.w, null, s.geometry));
        blackhole.consume(ConvolutionKernels.backwardInput(s.gradOutput, s.w, s.x.shape(), s.geometry));
        blackhole.consume(ConvolutionKernels.backwardWeight(s.gradOutput, s.x, s.geometry));
    }
}
