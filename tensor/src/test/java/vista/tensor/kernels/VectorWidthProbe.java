package vista.tensor.kernels;

import java.util.ArrayList;
import java.util.List;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Computes a fixed set of fast-kernel results (calling the fast kernels directly, whatever
 * {@code vista.kernels} says) and prints one line per result: its name and a hash of
 * its float bits. {@link ReductionsVectorWidthTest} runs it in JVMs with other vector widths
 * ({@code -Dvista.vector.bits}) and compares the lines.
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
        return out;
    }

    private static void add(List<String> out, String name, Tensor t) {
        out.add(name + " " + WidthProbes.hash(t));
    }
}
