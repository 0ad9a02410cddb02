import java.util.List;
import vista.nn.Conv2d;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.LocalSelfAttentionKernels;
import vista.tensor.kernels.LocalSelfAttentionReference;

/**
 * Lesson 6 (docs/learn/06-sasa.md): SASA's local self-attention.
 * <pre>
 *   y_ij = sum over (a, b) in the k x k window around (i, j) of softmax_ab(q_ij . k_ab + q_ij . r_{a-i, b-j}) v_ab
 * </pre>
 * <ol>
 *   <li>The layer against a 3x3 convolution of the same width: parameters.</li>
 *   <li>The fused kernel (logits, softmax and weighted sum in one pass, Vector API) against the scalar
 *       reference: the largest difference and the time of each.</li>
 *   <li>An attention map: an image with a bright vertical stripe, queries and keys equal to the image, so a
 *       pixel on the stripe attends to the stripe; its weights printed as a picture.</li>
 * </ol>
 * <p>Run: {@code ./vista learn 6}; {@code --quick} uses a smaller feature map. For a trained model's maps as a
 * PNG, see {@code ./vista attention} (README, "The vista program").
 */
public class Lesson6 {
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Rng rng = new Rng(6);
        LocalSelfAttention2d layer = LocalSelfAttention2d.builder().setChannels(64, 64).optHeads(8).optKernel(7)
                .build(rng);
        Conv2d conv = Conv2d.builder().setChannels(64, 64).setKernel(3).optPadding(1).optBias(false).build(rng);
        System.out.printf("%s: %,d parameters; a 3x3 convolution 64 -> 64: %,d%n", layer, layer.parameterCount(),
                conv.parameterCount());

        int side = quick ? 8 : 28;
        int channels = 32;
        int heads = 4;
        Tensor q = Tensor.randn(rng, 2, channels, side, side);
        Tensor k = Tensor.randn(rng, 2, channels, side, side);
        Tensor v = Tensor.randn(rng, 2, channels, side, side);
        Tensor relRow = Tensor.randn(rng, 7, channels / heads / 2);
        Tensor relColumn = Tensor.randn(rng, 7, channels / heads / 2);
        LocalAttentionWindow window = new LocalAttentionWindow(heads, 7, Border.MASK,
                LocalAttentionWindow.scaledLogitFactor(channels, heads));
        Tensor[] reference = new Tensor[1];
        Tensor[] fused = new Tensor[1];
        int repeats = quick ? 1 : 3;
        double referenceMs = bestOf(repeats, () -> reference[0] = LocalSelfAttentionReference.forward(
                q.to(DType.FLOAT64), k.to(DType.FLOAT64), v.to(DType.FLOAT64), relRow.to(DType.FLOAT64),
                relColumn.to(DType.FLOAT64), window).output());
        double fusedMs = bestOf(quick ? 2 : 20, () -> fused[0] = LocalSelfAttentionKernels.forward(q, k, v, relRow,
                relColumn, window).output());
        double difference = fused[0].to(DType.FLOAT64).sub(reference[0]).abs().max(new int[] {0, 1, 2, 3}, false).item();
        System.out.printf("%s on %s: reference (float64) %.1f ms, fused kernel (float32) %.1f ms, "
                + "max |difference| %.1e%s%n", window, q.shape(), referenceMs, fusedMs, difference,
                quick ? " (too small and too cold a JIT to judge speed: run without --quick)" : "");
        check(difference < 1e-4, "the fused kernel agrees with the reference to float32 rounding");

        double onStripe = attentionMap();
        System.out.printf("lesson 6 ok: fused kernel = reference within %.1e; the stripe pixel gives %.0f%% of its"
                + " attention to the stripe%n", difference, 100 * onStripe);
    }

    /** Prints the 7x7 attention weights of a pixel on a stripe; returns the share on the stripe. */
    static double attentionMap() {
        int side = 9;
        int stripe = 4;
        Tensor image = Tensor.zeros(DType.FLOAT64, Shape.of(1, 2, side, side));
        for (int i = 0; i < side; i++) {
            for (int c = 0; c < 2; c++) {
                image.set(1.0, 0, c, i, stripe);
                image.set(1.0, 0, c, i, stripe + 1);
            }
        }
        Tensor zeros = Tensor.zeros(DType.FLOAT64, Shape.of(7, 1));
        LocalAttentionWindow window = new LocalAttentionWindow(1, 7, Border.MASK, 1);
        Tensor p = LocalSelfAttentionReference.forward(image, image, image, zeros, zeros, window).weights();
        int i = 4;
        int j = stripe;
        System.out.printf("attention of pixel (%d, %d), on a bright 2-pixel stripe (columns %d-%d), over its 7x7"
                + " window (q = k = the image, no position term):%n", i, j, stripe, stripe + 1);
        String shades = " .:-=+*#%@";
        double onStripe = 0;
        double max = 0;
        for (int m = 0; m < 49; m++) {
            max = Math.max(max, p.get(0, 0, m, i, j));
        }
        for (int a = 0; a < 7; a++) {
            StringBuilder picture = new StringBuilder("    ");
            StringBuilder numbers = new StringBuilder("   ");
            for (int b = 0; b < 7; b++) {
                double w = p.get(0, 0, a * 7 + b, i, j);
                int column = j + b - 3;
                onStripe += column == stripe || column == stripe + 1 ? w : 0;
                picture.append(shades.charAt((int) Math.round(w / max * (shades.length() - 1)))).append(' ');
                numbers.append(String.format(" %.3f", w));
            }
            System.out.println(picture + numbers.toString());
        }
        check(onStripe > 0.5, "a stripe pixel gives most of its attention to the stripe (14 of 49 neighbours)");
        return onStripe;
    }

    /** The fastest of {@code repeats} runs, in milliseconds (the first runs also warm the JIT up). */
    static double bestOf(int repeats, Runnable body) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            body.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 6: expected that " + claim);
        }
    }
}
