package vista.nn.sasa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.autograd.Complexity.Cost;
import vista.autograd.GradCheck;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * SASA's attention stem: names and order, two images small enough to check by hand, agreement with a
 * plain loop over the formula, gradients, cost and errors.
 */
class AttentionStemTest {

    private static AttentionStem.Builder stem(int in, int out) {
        return AttentionStem.builder().setChannels(in, out);
    }

    @Test
    void parametersHaveTheirNamesShapesAndOrder() {
        AttentionStem s = stem(3, 64).build(new Rng(1));
        assertEquals(List.of("rel_row", "rel_col", "emb_row", "emb_col", "emb_mix", "q_proj.weight", "k_proj.weight",
                "v_proj.weight"), List.copyOf(s.stateDict().keySet()));
        assertArrayEquals(new int[] {7, 8}, s.relRow().dims(), "(2s - 1, dh / 2): offsets -3..3, dh = 64 / 4");
        assertArrayEquals(new int[] {4, 16}, s.embRow().dims(), "(s, dh)");
        assertArrayEquals(new int[] {4, 16}, s.embMix().dims(), "(M, dh)");
        assertArrayEquals(new int[] {64, 3, 1, 1}, s.queryProjection().weight().dims());
        assertArrayEquals(new int[] {256, 3, 1, 1}, s.valueProjection().weight().dims(), "M value matrices stacked");
        assertEquals(2 * 7 * 8 + 3 * 4 * 16 + 2 * 64 * 3 + 4 * 64 * 3, s.parameterCount());
        assertEquals(1_456, s.parameterCount());
        AttentionStem plain = stem(3, 64).optRelativeLogits(false).build(new Rng(1));
        assertEquals(List.of("emb_row", "emb_col", "emb_mix", "q_proj.weight", "k_proj.weight", "v_proj.weight"),
                List.copyOf(plain.stateDict().keySet()));
        assertNull(plain.relRow());
    }

    @Test
    void defaultsAreThePapersStem() {
        AttentionStem s = stem(3, 64).build(new Rng(2));
        assertEquals(List.of(4, 4, 4, true), List.of(s.block(), s.heads(), s.mixtures(), s.relativeLogits()));
        assertEquals("AttentionStem(3->64, heads=4, block=4, mixtures=4)", s.toString());
        assertEquals("AttentionStem(1->8, heads=2, block=3, mixtures=2, no relative logits)",
                stem(1, 8).optHeads(2).optBlock(3).optMixtures(2).optRelativeLogits(false).build(new Rng(2)).toString());
    }

    @Test
    void embeddingsStartSmallSoTheMixtureIsNearlyUniform() {
        AttentionStem s = stem(3, 64).build(new Rng(3));
        double std = 1 / Math.sqrt(16);
        assertEquals((float) (std * new Rng(3).nextGaussian()), s.relRow().data().floats()[0],
                "the first value is the stream's first draw");
        Tensor embedding = s.embRow().data().reshape(4, 1, 16).add(s.embColumn().data().reshape(1, 4, 16))
                .reshape(16, 16);
        float[] p = embedding.matmul(s.embMix().data().transpose(0, 1)).softmax(1).toFloatArray();
        double deviation = 0;
        for (float weight : p) {
            deviation += Math.abs(weight - 0.25) / p.length;
        }
        assertEquals(0, deviation, 0.1, "logits of standard deviation about sqrt(2 / dh): p near 1/M = 0.25");
    }

    /**
     * One channel, one 2x2 block, one head, two value matrices W_V = (1, 3), embeddings of size 1:
     * emb_row = (0, ln 3), emb_col = (0, 0), ν = (0, 1). Row 0 mixes (1/2, 1/2), so v = 2x; row 1
     * mixes (1/4, 3/4), so v = 2.5x. For x = [[1, 2], [3, 4]]: v = [[2, 4], [7.5, 10]]. With W_Q = 1 and
     * W_K = ln 2 the logit of key x_ab for query x_ij is x_ij x_ab ln 2, so the weights are proportional
     * to 2^(x_ij x_ab): for x_ij = 1, (2, 4, 8, 16) / 30 and y = (4 + 16 + 60 + 160) / 30 = 8.
     */
    @Test
    void handComputedTwoByTwoImage() {
        Variable y = AttentionStem.attention(doubles(new double[] {1, 2, 3, 4}, 1, 1, 2, 2),
                doubles(new double[] {1}, 1, 1, 1, 1), doubles(new double[] {Math.log(2)}, 1, 1, 1, 1),
                doubles(new double[] {1, 3}, 2, 1, 1, 1), doubles(new double[] {0, Math.log(3)}, 2, 1),
                doubles(new double[] {0, 0}, 2, 1), doubles(new double[] {0, 1}, 2, 1), null, null, 2, 1, 1);
        assertArrayEquals(new double[] {8, 778.0 / 85, 626.0 / 65, 42946.0 / 4369}, y.data().toDoubleArray(), 1e-12);
    }

    /**
     * Relative logits alone: W_K = 0, W_Q = (1, 0) so the query's row half is x and its column half 0,
     * r_row = (0, 0, ln 2) for row offsets (-1, 0, +1), one value matrix (1, 1) so v = (x, x). A top-row
     * query gives the bottom-row keys the logit x ln 2: for x_ij = 1 the weights are (1, 1, 2, 2) / 6 and
     * y = (1 + 2 + 6 + 8) / 6 = 17/6; for x_ij = 2, (1, 1, 4, 4) / 10 and y = 31/10. Bottom-row queries
     * see offsets -1 and 0, both 0: the mean, 5/2.
     */
    @Test
    void handComputedRelativeLogits() {
        Variable y = AttentionStem.attention(doubles(new double[] {1, 2, 3, 4}, 1, 1, 2, 2),
                doubles(new double[] {1, 0}, 2, 1, 1, 1), doubles(new double[] {0, 0}, 2, 1, 1, 1),
                doubles(new double[] {1, 1}, 2, 1, 1, 1), doubles(new double[] {0.3, -0.2}, 2, 1),
                doubles(new double[] {0.1, 0.4}, 2, 1), doubles(new double[] {0.7}, 1, 1),
                doubles(new double[] {0, 0, Math.log(2)}, 3, 1), doubles(new double[] {0, 0, 0}, 3, 1), 2, 1, 1);
        double[] channel = {17.0 / 6, 31.0 / 10, 5.0 / 2, 5.0 / 2};
        assertArrayEquals(concat(channel, channel), y.data().toDoubleArray(), 1e-12);
    }

    /** The settings of a random case: the operands are drawn for them. */
    private record Setting(int batch, int in, int out, int height, int width, int block, int heads, int mixtures,
            int embedding, boolean relative) {
        Variable[] operands(Rng rng) {
            int half = out / heads / 2;
            return new Variable[] {
                random(rng, batch, in, height, width), random(rng, out, in, 1, 1), random(rng, out, in, 1, 1),
                random(rng, mixtures * out, in, 1, 1), random(rng, block, embedding), random(rng, block, embedding),
                random(rng, mixtures, embedding), relative ? random(rng, 2 * block - 1, half) : null,
                relative ? random(rng, 2 * block - 1, half) : null};
        }
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting(1, 3, 4, 6, 9, 3, 2, 3, 2, true),
            new Setting(2, 2, 6, 4, 2, 2, 3, 2, 3, false),
            new Setting(2, 1, 4, 4, 4, 4, 1, 4, 5, true),
            new Setting(1, 2, 2, 3, 5, 1, 1, 2, 1, true));

    @Test
    void matchesAPlainLoopOverTheFormula() {
        Rng rng = new Rng(4);
        for (Setting s : SETTINGS) {
            Variable[] o = s.operands(rng);
            Variable y = AttentionStem.attention(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], s.block(),
                    s.heads(), 1);
            assertArrayEquals(new int[] {s.batch(), s.out(), s.height(), s.width()}, y.dims(), s.toString());
            assertArrayEquals(loop(s, o), y.data().toDoubleArray(), 1e-12, s.toString());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(5);
        for (Setting s : SETTINGS) {
            Variable[] o = s.operands(rng);
            Tensor[] inputs = new Tensor[s.relative() ? 9 : 7];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = o[i].data();
            }
            GradCheck.of(v -> AttentionStem.attention(v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                    s.relative() ? v[7] : null, s.relative() ? v[8] : null, s.block(), s.heads(), 0.7), inputs)
                    .assertPasses();
        }
        AttentionStem module = stem(3, 4).optHeads(2).optBlock(2).optMixtures(3).build(new Rng(6));
        GradCheck.of(v -> module.forward(v[0]), Tensor.randn(rng, 1, 3, 2, 4)).assertPasses();
    }

    @Test
    void backwardReachesEveryParameter() {
        AttentionStem s = stem(3, 8).optHeads(2).build(new Rng(7));
        Variable x = new Variable(Tensor.randn(new Rng(8), 2, 3, 8, 4), true);
        s.forward(x).sum().backward();
        s.namedParameters().forEach((name, p) -> assertArrayEquals(p.dims(), p.grad().dims(), name));
        assertArrayEquals(x.dims(), x.grad().dims());
    }

    @Test
    void forwardIsTheFunctionOfItsParameters() {
        AttentionStem s = stem(2, 8).optHeads(2).optBlock(2).build(new Rng(9));
        Variable x = new Variable(Tensor.randn(new Rng(10), 2, 2, 4, 6));
        Variable expected = AttentionStem.attention(x, s.queryProjection().weight(), s.keyProjection().weight(),
                s.valueProjection().weight(), s.embRow(), s.embColumn(), s.embMix(), s.relRow(), s.relColumn(), 2, 2, 1);
        assertArrayEquals(expected.data().toFloatArray(), s.forward(x).data().toFloatArray());
    }

    @Test
    void costCountsProjectionsLogitsAndSumsPerPixel() {
        AttentionStem s = stem(3, 64).build(new Rng(11));
        Shape input = Shape.of(2, 3, 224, 224);
        Shape output = Shape.of(2, 64, 224, 224);
        long pixels = 2L * 224 * 224;
        long projections = 2 * 3 * 64 + 3 * 64;
        long logitsPositionsSums = 3 * 16 * 64;
        long mixture = 16 * 4 * 16 + 16 * 4 * 64 * 3;
        long otherOps = pixels * 4 * 16 * 2 + 16 * 16 + 16 * 4;
        assertEquals(new Cost(pixels * (projections + logitsPositionsSums) + mixture, otherOps), s.cost(input, output));
        assertEquals(new Cost(pixels * (2 * 3 * 64 + 4 * 3 * 64 + 4 * 64 + logitsPositionsSums), otherOps),
                s.paperCost(input, output), "the paper's count: four value projections mixed per pixel");
        AttentionStem plain = stem(3, 64).optRelativeLogits(false).build(new Rng(11));
        assertEquals(new Cost(pixels * (projections + 2 * 16 * 64) + mixture, pixels * 4 * 16 + 16 * 16 + 16 * 4),
                plain.cost(input, output));
    }

    @Test
    void recordsOneCallWithItsProjectionsInside() {
        AttentionStem s = stem(3, 8).optHeads(2).build(new Rng(12));
        List<Ledger.LayerCall> calls;
        try (Ledger ledger = Ledger.open()) {
            s.forward(new Variable(Tensor.zeros(1, 3, 8, 8)));
            calls = ledger.layerCalls();
        }
        assertEquals(1, calls.size());
        assertSame(s, calls.get(0).layer());
        assertEquals(Shape.of(1, 8, 8, 8), calls.get(0).output(), "the pool comes after, in the ResNet");
    }

    @Test
    void rejectsInvalidSettingsNamingTheLayerAndTheFix() {
        assertEquals("AttentionStem.builder(): setChannels(in, out) is required before build",
                assertThrows(IllegalStateException.class, () -> AttentionStem.builder().build(new Rng(13))).getMessage());
        assertEquals("AttentionStem(3->60, heads=8, block=4, mixtures=4): 60 output channels do not split into 8 heads;"
                + " choose output channels divisible by 8", message(() -> stem(3, 60).optHeads(8).build(new Rng(13))));
        assertEquals("AttentionStem(3->12, heads=4, block=4, mixtures=4): heads of 3 channels cannot be halved between"
                + " the row and column embeddings of the relative logits; choose output channels divisible by 8, or"
                + " optRelativeLogits(false)", message(() -> stem(3, 12).build(new Rng(13))));
        assertEquals("AttentionStem(3->64, heads=4, block=0, mixtures=4): the block side must be at least 1, got 0",
                message(() -> stem(3, 64).optBlock(0).build(new Rng(13))));
        assertEquals("AttentionStem(3->64, heads=4, block=4, mixtures=0): there must be at least one value matrix, got"
                + " 0 mixtures", message(() -> stem(3, 64).optMixtures(0).build(new Rng(13))));
        assertEquals("AttentionStem(3->64, heads=0, block=4, mixtures=4): heads must be at least 1, got 0",
                message(() -> stem(3, 64).optHeads(0).build(new Rng(13))));
        assertEquals("AttentionStem(0->64, heads=4, block=4, mixtures=4): channels must be at least 1",
                message(() -> stem(0, 64).build(new Rng(13))));
    }

    @Test
    void rejectsInputsOfTheWrongShape() {
        AttentionStem s = stem(3, 64).build(new Rng(14));
        assertEquals("AttentionStem(3->64, heads=4, block=4, mixtures=4): expected input (N, 3, H, W), got [2, 1, 8, 8]",
                message(() -> s.forward(new Variable(Tensor.zeros(2, 1, 8, 8)))));
        assertEquals("AttentionStem(3->64, heads=4, block=4, mixtures=4): expected input (N, 3, H, W), got [3, 8, 8]",
                message(() -> s.forward(new Variable(Tensor.zeros(3, 8, 8)))));
        assertEquals("AttentionStem(3->64, heads=4, block=4, mixtures=4): attends inside 4x4 blocks and needs a height"
                + " and width that are positive multiples of 4, got [1, 3, 225, 224]",
                message(() -> s.forward(new Variable(Tensor.zeros(1, 3, 225, 224)))));
    }

    // ---------------------------------------------------------------- the formula, as plain loops

    /**
     * The stem written as the class comment's formula, one output pixel and head at a time, in double:
     * the mixture weights of the key's position in the block, its value with the mixed matrix, the
     * logits, their softmax and the weighted sum.
     */
    private static double[] loop(Setting s, Variable[] o) {
        double[][] a = new double[9][];
        for (int i = 0; i < 9; i++) {
            a[i] = o[i] == null ? null : o[i].data().toDoubleArray();
        }
        double[] x = a[0];
        double[] wq = a[1];
        double[] wk = a[2];
        double[] wv = a[3];
        int in = s.in();
        int out = s.out();
        int sb = s.block();
        int e = s.embedding();
        int dh = out / s.heads();
        int half = dh / 2;
        int h = s.height();
        int w = s.width();
        double[] y = new double[s.batch() * out * h * w];
        for (int n = 0; n < s.batch(); n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int top = i - i % sb;
                    int left = j - j % sb;
                    for (int head = 0; head < s.heads(); head++) {
                        double[] logits = new double[sb * sb];
                        for (int ka = 0; ka < sb; ka++) {
                            for (int kb = 0; kb < sb; kb++) {
                                double logit = 0;
                                for (int d = 0; d < dh; d++) {
                                    int c = head * dh + d;
                                    double q = project(wq, x, n, c, in, h, w, i, j);
                                    logit += q * project(wk, x, n, c, in, h, w, top + ka, left + kb);
                                    if (s.relative()) {
                                        logit += d < half ? q * a[7][(ka - i % sb + sb - 1) * half + d]
                                                : q * a[8][(kb - j % sb + sb - 1) * half + d - half];
                                    }
                                }
                                logits[ka * sb + kb] = logit;
                            }
                        }
                        double[] weights = softmax(logits);
                        for (int d = 0; d < dh; d++) {
                            int c = head * dh + d;
                            double sum = 0;
                            for (int ka = 0; ka < sb; ka++) {
                                for (int kb = 0; kb < sb; kb++) {
                                    double[] p = mixture(a[4], a[5], a[6], e, s.mixtures(), ka, kb);
                                    double value = 0;
                                    for (int m = 0; m < s.mixtures(); m++) {
                                        value += p[m] * project(wv, x, n, m * out + c, in, h, w, top + ka, left + kb);
                                    }
                                    sum += weights[ka * sb + kb] * value;
                                }
                            }
                            y[((n * out + c) * h + i) * w + j] = sum;
                        }
                    }
                }
            }
        }
        return y;
    }

    /** {@code (W x)[row]} at pixel (i, j) for a weight of shape {@code (rows, in, 1, 1)}. */
    private static double project(double[] weight, double[] x, int n, int row, int in, int h, int w, int i, int j) {
        double sum = 0;
        for (int c = 0; c < in; c++) {
            sum += weight[row * in + c] * x[((n * in + c) * h + i) * w + j];
        }
        return sum;
    }

    /** {@code p(a, b, m) = softmax over m of (emb_row(a) + emb_col(b)) · ν_m}. */
    private static double[] mixture(double[] row, double[] column, double[] nu, int e, int mixtures, int a, int b) {
        double[] logits = new double[mixtures];
        for (int m = 0; m < mixtures; m++) {
            for (int d = 0; d < e; d++) {
                logits[m] += (row[a * e + d] + column[b * e + d]) * nu[m * e + d];
            }
        }
        return softmax(logits);
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static Variable random(Rng rng, int... dims) {
        return new Variable(Tensor.randn(rng, dims).to(DType.FLOAT64));
    }

    private static Variable doubles(double[] values, int... dims) {
        return new Variable(Tensor.fromArray(values, dims));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
