package vista.tensor.kernels;

import java.util.ArrayList;
import java.util.List;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/**
 * Computes a fixed set of fast-kernel results and prints one line per result: its name and a hash of its
 * float bits. It covers the training path's kernels that have no width probe in their own test:
 * reductions, softmax, elementwise ops, GEMM and matmul, the channel affine maps, average pooling's
 * backward and global average pooling. It calls the fast kernels directly, whatever {@code vista.kernels}
 * says, except matmul, which goes through {@link MatMulKernels} (fast by default). {@link VectorWidthTest} runs it
 * in JVMs with other vector widths ({@code -Dvista.vector.bits}) and compares the lines.
 */
public final class VectorWidthProbe {
    private VectorWidthProbe() {
    }

    /** Prints the results, if {@value WidthProbes#ROUNDS} rounds of them agree. */
    public static void main(String[] args) {
        WidthProbes.stableResults(VectorWidthProbe::results).forEach(System.out::println);
    }

    /** "name bits-hash" for each probed result, computed with this JVM's vector species. */
    static List<String> results() {
        Rng rng = new Rng(2024);
        Tensor long1 = Tensor.randn(rng, 2 * ReductionsFast.CHUNK + 77);
        Tensor images = Tensor.randn(rng, 3, 5, 17, 19);
        Tensor tall = Tensor.randn(rng, 1001, 37);
        Tensor logits = ElementwiseFast.binary(BinaryOp.MUL, Tensor.randn(rng, 13, 45), Tensor.scalar(5));
        List<String> out = new ArrayList<>();
        add(out, "sum of a long run", ReductionsFast.sum(long1, new int[] {0}, false));
        add(out, "var of a long run", ReductionsFast.var(long1, new int[] {0}, false, 1));
        add(out, "sum over rows of 17 x 19", ReductionsFast.sum(images, new int[] {2, 3}, false));
        add(out, "mean over [0, 2, 3]", ReductionsFast.mean(images, new int[] {0, 2, 3}, true));
        add(out, "var over [0, 2, 3]", ReductionsFast.var(images, new int[] {0, 2, 3}, false, 0));
        add(out, "sum over axis 1 (columns)", ReductionsFast.sum(images, new int[] {1}, false));
        add(out, "sum over the tall axis", ReductionsFast.sum(tall, new int[] {0}, false));
        add(out, "var over the tall axis", ReductionsFast.var(tall, new int[] {0}, false, 1));
        add(out, "max over the tall axis", ReductionsFast.max(tall, new int[] {0}, false));
        add(out, "argmax over axis 1", ReductionsFast.argmax(tall, 1, false));
        add(out, "softmax, last axis", SoftmaxFast.softmax(logits, 1));
        add(out, "softmax, first axis", SoftmaxFast.softmax(logits, 0));
        add(out, "logSoftmax, last axis", SoftmaxFast.logSoftmax(logits, -1));
        add(out, "exp", ElementwiseFast.unary(UnaryOp.EXP, logits));
        add(out, "sigmoid", ElementwiseFast.unary(UnaryOp.SIGMOID, logits));
        add(out, "tanh", ElementwiseFast.unary(UnaryOp.TANH, logits));
        add(out, "bias add", ElementwiseFast.binary(BinaryOp.ADD, images, Tensor.randn(new Rng(7), 1, 5, 1, 1)));
        Tensor other = Tensor.randn(rng, 3, 5, 17, 19);
        add(out, "sub", ElementwiseFast.binary(BinaryOp.SUB, images, other));
        add(out, "mul by a row", ElementwiseFast.binary(BinaryOp.MUL, images, Tensor.randn(rng, 19)));
        add(out, "div", ElementwiseFast.binary(BinaryOp.DIV, images, other));
        add(out, "maximum", ElementwiseFast.binary(BinaryOp.MAXIMUM, images, other));
        add(out, "relu", ElementwiseFast.unary(UnaryOp.RELU, images));
        add(out, "sqrt", ElementwiseFast.unary(UnaryOp.SQRT, ElementwiseFast.unary(UnaryOp.ABS, images)));
        add(out, "where", ElementwiseFast.where(images, other, Tensor.scalar(0)));
        addGemm(out, rng);
        Tensor features = tall.slice(0, 0, 13);
        Tensor weight = Tensor.randn(rng, 10, 37);
        add(out, "matmul by a transposed weight (Linear)", MatMulKernels.matmul(features, weight.transpose(0, 1)));
        add(out, "matmul of a transposed gradient (Linear's dW)", MatMulKernels.matmul(Tensor.randn(rng, 13, 10)
                .transpose(0, 1), features));
        Tensor rows = Tensor.randn(rng, 2, 3, 37);
        Tensor gradient = Tensor.randn(rng, 2, 3, 37);
        double[] scale = {0.5, -1.25, 2};
        double[] shift = {0.1, 0.2, -0.3};
        add(out, "channel scale, shift and relu", ChannelAffine.scaleShiftRelu(rows, scale, shift));
        add(out, "channel combine", ChannelAffine.combine(gradient, scale, rows, shift, scale));
        add(out, "keep where positive", ChannelAffine.keepWherePositive(gradient.copy(), rows));
        ConvGeometry halve = ConvGeometry.pooling("AvgPool2d", 2).stride(2).build();
        ConvGeometry sliding = ConvGeometry.pooling("AvgPool2d", 3).stride(1).padding(1).build();
        add(out, "avg pool 2x2 backward", PoolingFast.avgPoolBackward(Tensor.randn(rng, 3, 5, 8, 9), images.shape(),
                halve, true));
        add(out, "avg pool 3x3 backward", PoolingFast.avgPoolBackward(other, images.shape(), sliding, false));
        add(out, "global avg pool", PoolingFast.globalAvgPool(images));
        add(out, "global avg pool backward", PoolingFast.globalAvgPoolBackward(Tensor.randn(rng, 3, 5, 1, 1),
                images.shape()));
        add(out, "conv bias gradient (sum over [0, 2, 3])", ReductionsFast.sum(images, new int[] {0, 2, 3}, false));
        return out;
    }

    /** Every transpose combination, accumulating or not, on shapes with edge blocks and two depth blocks. */
    private static void addGemm(List<String> out, Rng rng) {
        for (int[] mnk : new int[][] {{7, 3, 130}, {17, 65, 33}, {33, 70, 300}}) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            float[] a = Tensor.randn(rng, m * k).floats();
            float[] b = Tensor.randn(rng, k * n).floats();
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                boolean transB = (transposes & 2) != 0;
                float[] c = Tensor.randn(new Rng(transposes), m * n).floats();
                GemmKernels.fast(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, transA);
                add(out, "gemm " + m + "x" + n + "x" + k + (transA ? " A^T" : " A") + (transB ? " B^T" : " B")
                        + (transA ? ", accumulating" : ""), Tensor.fromArray(c, m, n));
            }
        }
    }

    private static void add(List<String> out, String name, Tensor t) {
        out.add(name + " " + WidthProbes.hash(t));
    }
}
