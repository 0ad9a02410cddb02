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
import vista.nn.Module;
import vista.nn.san.PairwiseSelfAttention2d;
import vista.nn.san.PatchwiseSelfAttention2d;
import vista.nn.san.SanAttentionShape;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * A whole SAN attention block at the shape of SAN's layer1 ({@code SAM} with 256 channels in, 16
 * relation channels, 64 out, share planes 8, a 7x7 footprint with reflection, batch 8 at 56 x 56): the
 * PyTorch peer's {@code bench_layers.py} cases {@code san_pair_l1} and {@code san_patch_l1} (and their
 * {@code @unfold} forms), which this is compared with.
 * <ul>
 *   <li>{@code forward}: the output without a graph (PyTorch's {@code no_grad});</li>
 *   <li>{@code forwardBackward}: forward with the graph, BatchNorm in training mode, then backward of a
 *       fixed output gradient G: the gradients of the input and of every parameter.</li>
 * </ul>
 * Its peak memory is measured by {@link SanBlockPeakHeap}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:InitialRAMPercentage=25",
    "-XX:MaxRAMPercentage=25"})
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 5, time = 4)
public class SanBlockBenchmark {

    /** The block, its input and output gradient, for one block type and thread count. */
    @State(Scope.Benchmark)
    public static class Block {
        @Param({"pairwise", "patchwise"})
        String type;

        @Param({"1", "2"})
        int threads;

        Module block;
        Tensor input;
        Tensor gradOutput;

        @Setup
        public void setUp() {
            Rng rng = new Rng(13);
            block = layer1Block(type, rng.split("block"));
            input = Tensor.randn(rng.split("input"), 8, 256, 56, 56);
            gradOutput = Tensor.randn(rng.split("gradient"), 8, 64, 56, 56);
            Parallel.setThreads(threads);
        }
    }

    /** SAN's layer1 block: {@code pairwise} or {@code patchwise}, 256 -> 64, relation 16, share 8, 7x7. */
    static Module layer1Block(String type, Rng rng) {
        SanAttentionShape shape = SanAttentionShape.official(256, 64, 7);
        return switch (type) {
            case "pairwise" -> new PairwiseSelfAttention2d(shape, rng);
            case "patchwise" -> new PatchwiseSelfAttention2d(shape, rng);
            default -> throw new IllegalArgumentException("the block type is pairwise or patchwise, got " + type);
        };
    }

    @Benchmark
    public Tensor forward(Block s) {
        try (var scope = Autograd.noGrad()) {
            return s.block.forward(new Variable(s.input)).data();
        }
    }

    @Benchmark
    public Tensor forwardBackward(Block s) {
        Variable x = new Variable(s.input, true);
        s.block.forward(x).backward(s.gradOutput);
        for (Variable p : s.block.parameters()) {
            p.zeroGrad();
        }
        return x.grad();
    }
}
