package vista.bench;

import vista.autograd.Variable;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * The memory one forward and backward pass of a SAN layer1 block ({@link SanBlockBenchmark}) holds at
 * its peak, measured from outside as {@link SasaLayerPeakHeap} does: it runs the pass three times and
 * prints {@code ok}; under a serial collector with a 4 MB young generation and a heap limit it either
 * fits or dies of {@link OutOfMemoryError}, and the smallest limit that fits bounds the peak. The block
 * type is the argument:
 * <pre>
 *   VISTA_JAVA_OPTS="-XX:+UseSerialGC -Xmn4m -Xms16m -Xmx230m" ./vista bench-main vista.bench.SanBlockPeakHeap pairwise
 * </pre>
 * The heap also holds the input x (25.7 MB) and the output gradient (6.4 MB), like the inputs of
 * PyTorch's {@code bench_layers.py}, whose peak is the growth of the resident memory over a pass.
 */
public final class SanBlockPeakHeap {
    private SanBlockPeakHeap() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SanBlockPeakHeap pairwise|patchwise");
        }
        Parallel.setThreads(1);
        Rng rng = new Rng(13);
        Module block = SanBlockBenchmark.layer1Block(args[0], rng.split("block"));
        Tensor input = Tensor.randn(rng.split("input"), 8, 256, 56, 56);
        Tensor gradOutput = Tensor.randn(rng.split("gradient"), 8, 64, 56, 56);
        for (int i = 0; i < 3; i++) {
            Variable x = new Variable(input, true);
            block.forward(x).backward(gradOutput);
            for (Variable p : block.parameters()) {
                p.zeroGrad();
            }
        }
        System.out.println("ok");
    }
}
