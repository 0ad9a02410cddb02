package vista.bench;

import vista.autograd.Variable;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * The memory one forward and backward pass of the SASA layer holds at its peak, measured from outside:
 * it runs the pass of {@link SasaLayerBenchmark} three times and prints {@code ok}; started with a
 * serial collector, a 4 MB young generation and a heap limit, it either fits or dies of
 * {@link OutOfMemoryError}, and the smallest limit that fits bounds the peak live memory (every tensor of
 * the pass is larger than the young generation, so it lives in the old one, which a full collection
 * compacts). The command, for a limit of 100 MB:
 * <pre>
 *   java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn4m -Xmx100m \
 *       -cp bench/target/benchmarks.jar vista.bench.SasaLayerPeakHeap
 * </pre>
 * The heap also holds the input x and the output gradient (6.4 MB each), like the inputs of PyTorch's
 * {@code bench_layers.py}, whose peak is the growth of the process's resident memory over a pass.
 */
public final class SasaLayerPeakHeap {
    private SasaLayerPeakHeap() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(1);
        Rng rng = new Rng(11);
        LocalSelfAttention2d layer = LocalSelfAttention2d.builder().setChannels(64, 64).optHeads(8).optKernel(7)
                .build(rng.split("layer"));
        Tensor input = Tensor.randn(rng.split("input"), 8, 64, 56, 56);
        Tensor gradOutput = Tensor.randn(rng.split("weights"), 8, 64, 56, 56);
        for (int i = 0; i < 3; i++) {
            Variable x = new Variable(input, true);
            layer.forward(x).backward(gradOutput);
            for (Variable p : layer.parameters()) {
                p.zeroGrad();
            }
        }
        System.out.println("ok");
    }
}
