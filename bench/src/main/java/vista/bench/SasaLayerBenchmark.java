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
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * The whole SASA layer, {@link LocalSelfAttention2d} 64 -> 64 with its three 1x1 projections, 8 heads
 * (dh = 8), MASK border, on a batch of 8 at 56 x 56: the shapes of the PyTorch peer's
 * {@code bench_layers.py} case {@code sasa} (and {@code sasa@unfold}), which this is compared with.
 * <ul>
 *   <li>{@code forward}: the output without a graph (inference, as PyTorch's {@code no_grad});</li>
 *   <li>{@code forwardBackward}: forward with the graph, then backward of {@code L = sum(out * G)} for a
 *       fixed G: the gradients of the input and of all five parameters, as one training step needs.</li>
 * </ul>
 * {@code -prof gc} gives the bytes allocated per call, an upper bound of the memory the call holds at
 * any moment.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:InitialRAMPercentage=25",
    "-XX:MaxRAMPercentage=25"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SasaLayerBenchmark {

    /** The layer, its input and output weights G, for one neighbourhood size and thread count. */
    @State(Scope.Benchmark)
    public static class Layer {
        @Param({"7"})
        int kernelSize;

        @Param({"1", "2"})
        int threads;

        LocalSelfAttention2d layer;
        Tensor input;
        Tensor outputWeights;

        @Setup
        public void setUp() {
            Rng rng = new Rng(11);
            layer = LocalSelfAttention2d.builder().setChannels(64, 64).optHeads(8).optKernel(kernelSize)
                    .build(rng.split("layer"));
            input = Tensor.randn(rng.split("input"), 8, 64, 56, 56);
            outputWeights = Tensor.randn(rng.split("weights"), 8, 64, 56, 56);
            Parallel.setThreads(threads);
        }
    }

    @Benchmark
    public Tensor forward(Layer s) {
        try (var scope = Autograd.noGrad()) {
            return s.layer.forward(new Variable(s.input)).data();
        }
    }

    @Benchmark
    public Tensor forwardBackward(Layer s) {
        Variable x = new Variable(s.input, true);
        s.layer.forward(x).mul(new Variable(s.outputWeights)).sum().backward();
        for (Variable p : s.layer.parameters()) {
            p.zeroGrad();
        }
        return x.grad();
    }
}
