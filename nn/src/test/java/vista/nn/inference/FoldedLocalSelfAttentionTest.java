package vista.nn.inference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vista.nn.inference.InferenceTesting.assertCloseRelativeToLargest;
import static vista.nn.inference.InferenceTesting.randomiseNorm;
import static vista.nn.inference.InferenceTesting.run;

import org.junit.jupiter.api.Test;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * SASA's norm folded into the value projection: {@code BN(sum p v) = sum p (s v + t)} because the softmax
 * weights sum to 1 over the neighbours inside the image. A 5x5 window on a 6x7 image puts most pixels at
 * the border, where the masked window is cut short.
 */
class FoldedLocalSelfAttentionTest {
    private static LocalSelfAttention2d attention(Border border, int stride, Rng rng) {
        return LocalSelfAttention2d.builder().setChannels(6, 8).optHeads(2).optKernel(5).optBorder(border)
                .optStride(stride).build(rng);
    }

    @Test
    void normAfterMaskedAttentionFoldsIntoTheValues() {
        Rng rng = new Rng(7);
        for (int stride : new int[] {1, 2}) {
            for (boolean relu : new boolean[] {false, true}) {
                LocalSelfAttention2d layer = attention(Border.MASK, stride, rng);
                BatchNorm2d norm = new BatchNorm2d(8);
                randomiseNorm(norm, rng);
                Sequential eval = relu ? new Sequential(layer, norm, new ReLU()) : new Sequential(layer, norm);
                eval.eval();
                Module folded = Folding.withNorm(layer, norm, relu);
                assertInstanceOf(FoldedLocalSelfAttention.class, folded);
                Tensor x = Tensor.randn(rng, 2, 6, 6, 8);
                assertCloseRelativeToLargest(run(eval, x), run(folded, x), 1e-5,
                        "stride " + stride + (relu ? ", relu" : ""));
            }
        }
    }

    @Test
    void normAfterZeroBorderAttentionIsKept() {
        Rng rng = new Rng(8);
        LocalSelfAttention2d layer = attention(Border.ZERO, 1, rng);
        BatchNorm2d norm = new BatchNorm2d(8);
        randomiseNorm(norm, rng);
        assertFalse(FoldedLocalSelfAttention.canFold(layer));
        assertThrows(IllegalArgumentException.class, () -> new FoldedLocalSelfAttention(layer, norm, true));
        Sequential eval = new Sequential(layer, norm, new ReLU());
        eval.eval();
        Module kept = Folding.withNorm(layer, norm, true);
        assertSame(layer, kept.children().get("0"), "the attention layer is kept");
        assertInstanceOf(InferenceNormRelu.class, kept.children().get("1"));
        Tensor x = Tensor.randn(rng, 1, 6, 6, 7);
        assertCloseRelativeToLargest(run(eval, x), run(kept, x), 1e-6, "the attention, then its norm and relu");
    }
}
