package vista.nn.sasa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import vista.autograd.Autograd;
import vista.autograd.Complexity.Cost;
import vista.autograd.GradCheck;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.LocalSelfAttentionKernels;
import vista.tensor.kernels.LocalSelfAttentionReference;
import vista.tensor.kernels.PoolingKernels;

/** The SASA layer: PyTorch's names and order, the computation, its gradients, its cost and its errors. */
class LocalSelfAttention2dTest {

    private static LocalSelfAttention2d.Builder layer(int in, int out) {
        return LocalSelfAttention2d.builder().setChannels(in, out);
    }

    @Test
    void parametersHaveThePeersNamesShapesAndOrder() {
        LocalSelfAttention2d sasa = layer(8, 16).optHeads(4).optKernel(3).build(new Rng(1));
        assertEquals(List.of("rel_row", "rel_col", "q_proj.weight", "k_proj.weight", "v_proj.weight"),
                List.copyOf(sasa.stateDict().keySet()));
        assertArrayEquals(new int[] {3, 2}, sasa.relRow().dims(), "(k, dh / 2) with dh = 16 / 4");
        assertArrayEquals(new int[] {3, 2}, sasa.relColumn().dims());
        assertArrayEquals(new int[] {16, 8, 1, 1}, sasa.queryProjection().weight().dims());
        assertEquals(2 * 3 * 2 + 3 * 16 * 8, sasa.parameterCount());
    }

    @Test
    void defaultsAreThePapersLayer() {
        LocalSelfAttention2d sasa = layer(64, 64).build(new Rng(2));
        assertEquals(new LocalAttentionWindow(8, 7, Border.MASK, 1), sasa.window());
        assertEquals(1, sasa.stride());
        assertEquals("LocalSelfAttention2d(64->64, heads=8, k=7)", sasa.toString());
        assertEquals("LocalSelfAttention2d(8->16, heads=2, k=3, border=ZERO, scaled logits, stride=2)",
                layer(8, 16).optHeads(2).optKernel(3).optBorder(Border.ZERO).optScaledLogits(true).optStride(2)
                        .build(new Rng(2)).toString());
    }

    @Test
    void embeddingsAreNormalWithVarianceOneOverHeadChannels() {
        LocalSelfAttention2d sasa = layer(16, 64).optHeads(2).optKernel(7).build(new Rng(3));
        double std = 1 / Math.sqrt(32);
        Rng expected = new Rng(3);
        assertEquals((float) (std * expected.nextGaussian()), sasa.relRow().data().floats()[0],
                "the first embedding value is the stream's first draw");
        float[] both = concat(sasa.relRow().data().toFloatArray(), sasa.relColumn().data().toFloatArray());
        double squares = 0;
        for (float v : both) {
            squares += (double) v * v;
        }
        assertEquals(std, Math.sqrt(squares / both.length), 0.25 * std, "224 draws of N(0, 1 / dh)");
        float[] projection = sasa.queryProjection().weight().data().toFloatArray();
        squares = 0;
        for (float v : projection) {
            squares += (double) v * v;
        }
        double kaiming = Math.sqrt(2.0 / 64);
        assertEquals(kaiming, Math.sqrt(squares / projection.length), 0.1 * kaiming, "Kaiming normal, fan_out = C_out");
    }

    @Test
    void forwardIsProjectionsThenTheAttentionKernel() {
        for (int stride : new int[] {1, 2}) {
            LocalSelfAttention2d sasa = layer(3, 8).optHeads(2).optKernel(5).optStride(stride).build(new Rng(4));
            Tensor x = Tensor.randn(new Rng(5), 2, 3, 7, 9);
            ConvGeometry pointwise = ConvGeometry.convolution(3, 8, 1).build();
            Tensor q = ConvolutionKernels.forward(x, sasa.queryProjection().weight().data(), null, pointwise);
            Tensor k = ConvolutionKernels.forward(x, sasa.keyProjection().weight().data(), null, pointwise);
            Tensor v = ConvolutionKernels.forward(x, sasa.valueProjection().weight().data(), null, pointwise);
            Tensor expected = LocalSelfAttentionKernels.forward(q, k, v, sasa.relRow().data(), sasa.relColumn().data(),
                    sasa.window()).output();
            if (stride == 2) {
                expected = PoolingKernels.avgPool(expected, ConvGeometry.pooling("AvgPool2d", 2).stride(2).build(), true);
            }
            Tensor y = sasa.forward(new Variable(x)).data();
            assertArrayEquals(stride == 1 ? new int[] {2, 8, 7, 9} : new int[] {2, 8, 3, 4}, y.dims(),
                    "stride 2 rounds down");
            assertArrayEquals(expected.toFloatArray(), y.toFloatArray());
        }
    }

    @Test
    void gradientsOfTheWholeLayerMatchFiniteDifferences() {
        Rng rng = new Rng(6);
        record Setting(LocalAttentionWindow window, int stride, int in, int height, int width) {
        }
        List<Setting> settings = List.of(
                new Setting(new LocalAttentionWindow(2, 3, Border.MASK, 1), 1, 3, 5, 6),
                new Setting(new LocalAttentionWindow(2, 3, Border.ZERO, 1), 2, 3, 5, 7),
                new Setting(new LocalAttentionWindow(1, 5, Border.MASK, 0.5), 2, 2, 4, 3),
                new Setting(new LocalAttentionWindow(2, 5, Border.ZERO, 1), 1, 2, 3, 4));
        for (Setting s : settings) {
            int out = 8;
            int half = out / s.window().heads() / 2;
            int k = s.window().kernelSize();
            GradCheck.of(v -> LocalSelfAttention2d.sasa(v[0], v[1], v[2], v[3], v[4], v[5], s.window(), s.stride()),
                    Tensor.randn(rng, 2, s.in(), s.height(), s.width()), Tensor.randn(rng, out, s.in(), 1, 1),
                    Tensor.randn(rng, out, s.in(), 1, 1), Tensor.randn(rng, out, s.in(), 1, 1),
                    Tensor.randn(rng, k, half), Tensor.randn(rng, k, half)).assertPasses();
        }
        LocalSelfAttention2d sasa = layer(3, 4).optHeads(1).optKernel(3).optStride(2).build(new Rng(7));
        GradCheck.of(v -> sasa.forward(v[0]), Tensor.randn(rng, 1, 3, 4, 5)).assertPasses();
    }

    @Test
    void backwardReachesEveryParameter() {
        LocalSelfAttention2d sasa = layer(4, 8).optHeads(2).optKernel(3).build(new Rng(8));
        Variable x = new Variable(Tensor.randn(new Rng(9), 1, 4, 5, 5), true);
        sasa.forward(x).sum().backward();
        sasa.namedParameters().forEach((name, p) -> assertArrayEquals(p.dims(), p.grad().dims(), name));
        assertArrayEquals(x.dims(), x.grad().dims());
    }

    @Test
    void costCountsProjectionsLogitsPositionsAndSumsPerAttentionPixel() {
        LocalSelfAttention2d sasa = layer(16, 32).optHeads(4).optKernel(7).optStride(2).build(new Rng(10));
        Shape input = Shape.of(2, 16, 10, 10);
        Shape output = Shape.of(2, 32, 5, 5);
        long pixels = 2 * 10 * 10;
        long projections = 3 * 16 * 32;
        long logits = 49 * 32;
        long positions = 7 * 32;
        long sums = 49 * 32;
        long softmax = 4 * 49;
        assertEquals(new Cost(pixels * (projections + logits + positions + sums), pixels * softmax + 4 * 2 * 32 * 5 * 5),
                sasa.cost(input, output));
        assertEquals(new Cost(pixels * (projections + logits + 49 * 32 + sums), pixels * softmax + 4 * 2 * 32 * 5 * 5),
                sasa.paperCost(input, output), "the paper's count: q·r as a full k² C product");
    }

    @Test
    void recordsOneCallWithItsProjectionsInside() {
        LocalSelfAttention2d sasa = layer(4, 8).optHeads(2).optKernel(3).build(new Rng(11));
        List<Ledger.LayerCall> calls;
        try (Ledger ledger = Ledger.open()) {
            sasa.forward(new Variable(Tensor.zeros(1, 4, 6, 6)));
            calls = ledger.layerCalls();
        }
        assertEquals(1, calls.size(), "the projections are applied as functions and do not record");
        assertSame(sasa, calls.get(0).layer());
    }

    @Test
    void captureKeepsTheInputAndTheSoftmaxWeightsAndLeavesTheOutputUnchanged() {
        for (int stride : new int[] {1, 2}) {
            LocalSelfAttention2d sasa = layer(3, 8).optHeads(2).optKernel(5).optStride(stride).build(new Rng(14));
            Tensor x = Tensor.randn(new Rng(15), 2, 3, 6, 7);
            try (var scope = Autograd.noGrad()) {
                Tensor plain = sasa.forward(new Variable(x)).data();
                try (LocalSelfAttention2d.Capture capture = sasa.captureWeights()) {
                    Tensor captured = sasa.forward(new Variable(x)).data();
                    assertArrayEquals(plain.toFloatArray(), captured.toFloatArray(), "the same bits with a capture");
                    assertSame(x, capture.input());
                    ConvGeometry pointwise = ConvGeometry.convolution(3, 8, 1).build();
                    Tensor q = ConvolutionKernels.forward(x.to(DType.FLOAT64), sasa.queryProjection().weight().data(), null,
                            pointwise);
                    Tensor k = ConvolutionKernels.forward(x.to(DType.FLOAT64), sasa.keyProjection().weight().data(), null,
                            pointwise);
                    Tensor v = ConvolutionKernels.forward(x.to(DType.FLOAT64), sasa.valueProjection().weight().data(), null,
                            pointwise);
                    Tensor expected = LocalSelfAttentionReference.forward(q, k, v,
                            sasa.relRow().data().to(DType.FLOAT64), sasa.relColumn().data().to(DType.FLOAT64),
                            sasa.window()).weights();
                    Tensor weights = capture.weights();
                    assertArrayEquals(new int[] {2, 2, 25, 6, 7}, weights.dims(), "(N, heads, k*k, H, W) before the pool");
                    assertArrayEquals(expected.toDoubleArray(), weights.toDoubleArray(), 1e-5);
                    double[] p = weights.toDoubleArray();
                    int plane = 6 * 7;
                    for (int nh = 0; nh < 2 * 2; nh++) {
                        for (int pixel = 0; pixel < plane; pixel++) {
                            double sum = 0;
                            for (int a = 0; a < 25; a++) {
                                sum += p[(nh * 25 + a) * plane + pixel];
                            }
                            assertEquals(1, sum, 1e-5, "a softmax over each window");
                        }
                    }
                }
                Tensor after = sasa.forward(new Variable(x)).data();
                assertArrayEquals(plain.toFloatArray(), after.toFloatArray());
            }
        }
    }

    @Test
    void captureNeedsNoGradAPassAndOnlyOneOpenAtATime() {
        LocalSelfAttention2d sasa = layer(4, 8).optHeads(2).optKernel(3).build(new Rng(16));
        Variable x = new Variable(Tensor.randn(new Rng(17), 1, 4, 5, 5));
        try (LocalSelfAttention2d.Capture capture = sasa.captureWeights()) {
            assertEquals("LocalSelfAttention2d(4->8, heads=2, k=3): the layer has not run since its capture was "
                    + "opened; run the model's forward pass first",
                    assertThrows(IllegalStateException.class, capture::weights).getMessage());
            assertEquals("LocalSelfAttention2d(4->8, heads=2, k=3): a capture of its weights is already open; close it "
                    + "first", assertThrows(IllegalStateException.class, sasa::captureWeights).getMessage());
            assertEquals("LocalSelfAttention2d(4->8, heads=2, k=3): a forward pass that captures the attention weights "
                    + "records no gradients; run it inside Autograd.noGrad()",
                    assertThrows(IllegalStateException.class, () -> sasa.forward(x)).getMessage());
        }
        try (var scope = Autograd.noGrad(); LocalSelfAttention2d.Capture again = sasa.captureWeights()) {
            sasa.forward(x);
            Tensor first = again.weights();
            sasa.forward(x);
            assertNotSame(first, again.weights(), "the latest pass");
        }
    }

    @Test
    void rejectsInvalidSettingsNamingTheLayerAndTheFix() {
        assertEquals("LocalSelfAttention2d.builder(): setChannels(in, out) is required before build",
                assertThrows(IllegalStateException.class, () -> LocalSelfAttention2d.builder().build(new Rng(12)))
                        .getMessage());
        assertEquals("LocalSelfAttention2d(64->60, heads=8, k=7): 60 output channels do not split into 8 heads of an "
                + "even number of channels (half of each head meets the row embedding, half the column one); choose "
                + "output channels divisible by 16 or fewer heads",
                assertThrows(IllegalArgumentException.class, () -> layer(64, 60).build(new Rng(12))).getMessage());
        assertEquals("LocalSelfAttention2d(8->24, heads=8, k=7): 24 output channels do not split into 8 heads of an "
                + "even number of channels (half of each head meets the row embedding, half the column one); choose "
                + "output channels divisible by 16 or fewer heads",
                assertThrows(IllegalArgumentException.class, () -> layer(8, 24).build(new Rng(12))).getMessage(),
                "dh = 3 is odd");
        assertEquals("LocalSelfAttention2d(8->16, heads=8, k=4): the kernel size must be odd (the pixel sits at the "
                + "centre of its window), got 4; use 3, 5 or 7",
                assertThrows(IllegalArgumentException.class, () -> layer(8, 16).optKernel(4).build(new Rng(12)))
                        .getMessage());
        assertEquals("LocalSelfAttention2d(8->16, heads=8, k=7, stride=3): stride must be 1, or 2 (2x2 average "
                + "pooling after the attention), got 3",
                assertThrows(IllegalArgumentException.class, () -> layer(8, 16).optStride(3).build(new Rng(12)))
                        .getMessage());
        assertEquals("LocalSelfAttention2d(8->16, heads=0, k=7): heads must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> layer(8, 16).optHeads(0).build(new Rng(12)))
                        .getMessage());
    }

    @Test
    void rejectsInputsOfTheWrongShape() {
        LocalSelfAttention2d sasa = layer(64, 64).optStride(2).build(new Rng(13));
        assertEquals("LocalSelfAttention2d(64->64, heads=8, k=7, stride=2): expected input (N, 64, H, W), got "
                + "[2, 32, 8, 8]", assertThrows(IllegalArgumentException.class,
                        () -> sasa.forward(new Variable(Tensor.zeros(2, 32, 8, 8)))).getMessage());
        assertEquals("LocalSelfAttention2d(64->64, heads=8, k=7, stride=2): expected input (N, 64, H, W), got "
                + "[64, 8, 8]", assertThrows(IllegalArgumentException.class,
                        () -> sasa.forward(new Variable(Tensor.zeros(64, 8, 8)))).getMessage());
        assertEquals("LocalSelfAttention2d(64->64, heads=8, k=7, stride=2): stride 2 pools 2x2 after the attention "
                + "and needs an input of at least 2x2, got [1, 64, 1, 5]", assertThrows(IllegalArgumentException.class,
                        () -> sasa.forward(new Variable(Tensor.zeros(1, 64, 1, 5)))).getMessage());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
