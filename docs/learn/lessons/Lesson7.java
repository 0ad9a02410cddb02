import java.util.List;
import vista.autograd.Variable;
import vista.nn.san.Aggregation2d;
import vista.nn.san.PairwiseSelfAttention2d;
import vista.nn.san.PatchwiseSelfAttention2d;
import vista.nn.san.SanAttentionShape;
import vista.nn.san.SanSelfAttention2d;
import vista.nn.san.Subtraction2d;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * Lesson 7 (docs/learn/07-san.md): SAN's self-attention, pairwise and patchwise, built from two
 * parameter-free operators over a k x k footprint with reflection padding.
 * <pre>
 *   subtraction   r[c, j, i] = φ(x)_i[c] - ψ(x)_j[c]                 (j in the footprint R(i) of pixel i)
 *   aggregation   y_i[c]     = sum over j in R(i) of α[c mod Cw, j, i] β(x)_j[c]
 *   pairwise      α = softmax over j of γ(φ(x_i) - ψ(x_j), p_i - p_j)
 *   patchwise     α = γ(φ(x_i), ψ(x_j) for every j of R(i))            (no softmax)
 * </pre>
 * <ol>
 *   <li>Reflection: where the neighbours of a border pixel come from, reflected and zero-padded.</li>
 *   <li>The subtraction of a 4 x 4 image from itself, around its corner pixel.</li>
 *   <li>The aggregation written here as the formula reads, against Vista's {@code Aggregation2d}.</li>
 *   <li>A pairwise and a patchwise block of the same width: parameters, and their weights α (a softmax over
 *       the neighbours for pairwise, free values for patchwise).</li>
 * </ol>
 * <p>Run: {@code ./vista learn 7}; {@code --quick} uses a smaller feature map.
 */
public class Lesson7 {
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        reflection();
        subtractionAtTheCorner();
        double aggregationDifference = aggregationByHand(new Rng(7));
        pairwiseAndPatchwise(new Rng(77), quick ? 8 : 16);
        System.out.printf("lesson 7 ok: reflection reads -1 -> 1; aggregation by hand = Aggregation2d within %.1e;"
                + " pairwise weights sum to 1 over the footprint, patchwise weights do not%n", aggregationDifference);
    }

    static void reflection() {
        int side = 5;
        Footprint reflect = Footprint.of(5);
        Footprint zero = new Footprint(5, 1, 1, Footprint.Padding.ZERO);
        System.out.printf("a 5-wide footprint on a row of %d pixels (pad %d): the input each neighbour of pixel 0 reads%n",
                side, reflect.pad());
        StringBuilder offsets = new StringBuilder("  offset    ");
        StringBuilder reflected = new StringBuilder("  REFLECT   ");
        StringBuilder zeroed = new StringBuilder("  ZERO      ");
        for (int offset = 0; offset < 5; offset++) {
            offsets.append(String.format("%4d", offset - reflect.pad()));
            reflected.append(String.format("%4d", reflect.source(0, offset, side)));
            int source = zero.source(0, offset, side);
            zeroed.append(source < 0 ? "   -" : String.format("%4d", source));
        }
        System.out.println(offsets + "\n" + reflected + "\n" + zeroed + "   (-: no pixel; the value is 0)");
        check(reflect.source(0, 0, side) == 2 && reflect.source(0, 1, side) == 1,
                "reflection mirrors at the border without repeating it: -2 -> 2, -1 -> 1");
    }

    static void subtractionAtTheCorner() {
        Tensor x = Tensor.arange(1, 17, 1).reshape(1, 1, 4, 4);
        Tensor r = new Subtraction2d(Footprint.of(3)).forward(new Variable(x)).data();
        System.out.println("x = 1..16 as a 4 x 4 image; the subtraction x_i - x_j around the corner pixel i = (0, 0)"
                + " (x = 1), neighbours reflected:");
        for (int a = 0; a < 3; a++) {
            StringBuilder line = new StringBuilder("   ");
            for (int b = 0; b < 3; b++) {
                line.append(String.format("%5.0f", r.get(0, 0, a * 3 + b, 0)));
            }
            System.out.println(line);
        }
        check(r.get(0, 0, 0, 0) == 1 - 6, "neighbour (-1, -1) of the corner reads pixel (1, 1), which holds 6");
    }

    static double aggregationByHand(Rng rng) {
        int channels = 4, weightChannels = 2, side = 5;
        Footprint footprint = Footprint.of(3);
        int k = footprint.size();
        Tensor x = Tensor.randn(rng, 1, channels, side, side).to(DType.FLOAT64);
        Tensor w = Tensor.randn(rng, 1, weightChannels, k * k, side * side).to(DType.FLOAT64);
        Tensor byVista = new Aggregation2d(footprint).forward(new Variable(x), new Variable(w)).data();
        double worst = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < side; i++) {
                for (int j = 0; j < side; j++) {
                    double sum = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            double value = x.get(0, c, footprint.source(i, a, side), footprint.source(j, b, side));
                            sum += w.get(0, c % weightChannels, a * k + b, i * side + j) * value;
                        }
                    }
                    worst = Math.max(worst, Math.abs(sum - byVista.get(0, c, i, j)));
                }
            }
        }
        System.out.printf("aggregation y_i[c] = sum_j α[c mod %d, j, i] x_j[c], by hand vs Aggregation2d: max "
                + "|difference| %.1e%n", weightChannels, worst);
        check(worst < 1e-12, "the aggregation is the weighted sum over the footprint");
        return worst;
    }

    static void pairwiseAndPatchwise(Rng rng, int side) {
        SanAttentionShape shape = SanAttentionShape.official(64, 64, 7);
        SanSelfAttention2d pairwise = new PairwiseSelfAttention2d(shape, rng);
        SanSelfAttention2d patchwise = new PatchwiseSelfAttention2d(shape, rng);
        Variable x = new Variable(Tensor.randn(rng, 2, 64, side, side));
        for (SanSelfAttention2d block : new SanSelfAttention2d[] {pairwise, patchwise}) {
            Tensor alpha;
            Shape out;
            try (SanSelfAttention2d.Capture capture = block.captureWeights()) {
                out = block.forward(x).shape();
                alpha = capture.weights();
            }
            Tensor sums = alpha.sum(new int[] {2}, false);
            double farthestFromOne = sums.sub(1).abs().max(new int[] {0, 1, 2}, false).item();
            System.out.printf("%-60s %,7d parameters; %s -> %s; α %s; |sum over the %d neighbours - 1| up to %.2g%n",
                    block, block.parameterCount(), x.shape(), out, alpha.shape(), alpha.dim(2), farthestFromOne);
            boolean softmax = block == pairwise;
            check(softmax == farthestFromOne < 1e-5, softmax ? "pairwise weights are a softmax over the footprint"
                    : "patchwise weights are not normalised");
        }
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 7: expected that " + claim);
        }
    }
}
