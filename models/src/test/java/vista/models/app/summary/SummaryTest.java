package vista.models.app.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vista.autograd.Complexity.Cost;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.models.app.cli.VistaCommand;
import vista.models.app.summary.ModelSummary.Layer;
import vista.models.zoo.ModelZoo;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Flatten;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.MaxPool2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

class SummaryTest {
    private static final Shape IMAGENET = Shape.of(3, 224, 224);
    private static Module resnet50;
    private static ModelSummary resnet50Summary;

    @BeforeAll
    static void summariseResNet50() {
        resnet50 = imagenet("resnet50");
        resnet50Summary = ModelSummary.of(resnet50, IMAGENET);
    }

    private static Module imagenet(String name) {
        return ModelZoo.create(name, new ModelZoo.Request(3, 1000, new Rng(0)));
    }

    /**
     * The multiply-adds of a bottleneck ResNet on a 224 x 224 image, from the architecture alone: the
     * 7x7/2 stem conv (224 -> 112), the 3x3/2 max pool (-> 56), per block conv1 1x1 at the input
     * resolution, conv2 3x3 (with the block's stride) and conv3 1x1 and the downsample 1x1 at the output
     * resolution, and the final 2048 -> 1000 linear layer. Each conv: H_out W_out C_out C_in k k.
     */
    private static long handCountedMacs(int... blocks) {
        return handCounted((size, outSize, mid) -> (long) outSize * outSize * mid * mid * 9, blocks);
    }

    /**
     * The same for a SASA-ResNet (attention with a k x k window in place of every 3x3 conv), in the PyTorch
     * peer's convention: per pixel of the attention (the block's input resolution, before the 2x2 pool of
     * a stride-2 block), 3 projections m m, logits k k m, positional logits k m and the weighted sum k k m;
     * with {@code paper} the positional logits count k k m, as SASA's Table 1 does.
     */
    private static long handCountedSasaMacs(int k, boolean paper, int... blocks) {
        return handCounted((size, outSize, mid) -> (long) size * size * (3L * mid * mid
                + (long) mid * (2 * k * k + (paper ? k * k : k))), blocks);
    }

    /** The multiply-adds of a bottleneck's spatial layer {@code mid -> mid}, from its input and output sizes. */
    private interface SpatialMacs {
        long of(int size, int outSize, int mid);
    }

    /** The hand count of both: the stem, the stages with {@code spatial} as each block's middle layer, the head. */
    private static long handCounted(SpatialMacs spatial, int... blocks) {
        int size = 112;
        long macs = (long) size * size * 64 * 3 * 7 * 7;
        size = 56;
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            int mid = widths[stage];
            int out = 4 * mid;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                int outSize = size / stride;
                macs += (long) size * size * mid * in;
                macs += spatial.of(size, outSize, mid);
                macs += (long) outSize * outSize * out * mid;
                if (b == 0) {
                    macs += (long) outSize * outSize * out * in;
                }
                in = out;
                size = outSize;
            }
        }
        return macs + 2048L * 1000;
    }

    @Test
    void resnet50MacsEqualTheHandCountAndTorchvisionsFigure() {
        assertEquals(handCountedMacs(3, 4, 6, 3), resnet50Summary.macs());
        assertEquals(4_089_184_256L, resnet50Summary.macs());
        assertEquals(4.09e9, resnet50Summary.macs(), 0.005 * 4.09e9, "torchvision's 4.09 GMACs");
        assertEquals(2 * resnet50Summary.macs(), resnet50Summary.flops());
        assertEquals(25_557_032, resnet50Summary.params());
    }

    @Test
    void resnet26And38CountsArePinned() {
        Module resnet26 = imagenet("resnet26");
        ModelSummary s26 = ModelSummary.of(resnet26, IMAGENET);
        assertEquals(13_696_552, s26.params());
        assertEquals(handCountedMacs(1, 2, 4, 1), s26.macs());
        assertEquals(2_342_256_640L, s26.macs());

        Module resnet38 = imagenet("resnet38");
        ModelSummary s38 = ModelSummary.of(resnet38, IMAGENET);
        assertEquals(19_626_792, s38.params());
        assertEquals(handCountedMacs(2, 3, 5, 2), s38.macs());
        assertEquals(3_215_720_448L, s38.macs());
    }

    @Test
    void sasaResNet26CountsEqualTheHandCountAndThePapersFigures() {
        ModelSummary s = ModelSummary.of(imagenet("sasa-resnet26"), IMAGENET);
        assertEquals(10_331_264, s.params());
        assertEquals(handCountedSasaMacs(7, false, 1, 2, 4, 1), s.macs());
        assertEquals(2_193_685_504L, s.macs(), "the PyTorch peer's count_complexity");
        assertEquals(2 * handCountedSasaMacs(7, true, 1, 2, 4, 1), s.paperFlops());
        assertEquals(4.5e9, s.paperFlops(), 0.05e9, "SASA's Table 1: 4.5 GFLOPs");
        Layer attention = s.layers().stream().filter(l -> l.path().equals("layer2.0.conv2")).findFirst().orElseThrow();
        assertEquals("LocalSelfAttention2d", attention.type());
        assertEquals(Shape.of(1, 128, 56, 56), attention.input());
        assertEquals(Shape.of(1, 128, 28, 28), attention.output(), "stride 2: the 2x2 pool after the attention");
        assertEquals(2 * 7 * 8 + 3 * 128 * 128, attention.params());
        assertEquals(56L * 56 * (3 * 128 * 128 + 128 * (2 * 49 + 7)), attention.macs());
    }

    @Test
    void sasaResNet38And50CountsArePinned() {
        ModelSummary s38 = ModelSummary.of(imagenet("sasa-resnet38"), IMAGENET);
        assertEquals(14_173_384, s38.params());
        assertEquals(handCountedSasaMacs(7, false, 2, 3, 5, 2), s38.macs());
        assertEquals(2_798_381_568L, s38.macs());
        assertEquals(5.7e9, s38.paperFlops(), 0.05e9, "SASA's Table 1: 5.7 GFLOPs");

        ModelSummary s50 = ModelSummary.of(imagenet("sasa-resnet50"), IMAGENET);
        assertEquals(18_015_504, s50.params());
        assertEquals(handCountedSasaMacs(7, false, 3, 4, 6, 3), s50.macs());
        assertEquals(3_403_077_632L, s50.macs());
        assertEquals(7.0e9, s50.paperFlops(), 0.05e9, "SASA's Table 1: 7.0 GFLOPs");
        assertEquals(2 * handCountedSasaMacs(7, true, 3, 4, 6, 3), s50.paperFlops());
    }

    /**
     * A full-attention SASA-ResNet: {@link #handCountedSasaMacs} with the 7x7 stem convolution (3 -> 64 at
     * 112 x 112) replaced by the attention stem (3 -> 64 at 224 x 224, 4x4 blocks, P = 16 positions, 4
     * heads, 4 mixtures, relative logits): per pixel the q and k projections 2 * 3 * 64, the value 3 * 64
     * with its position's mixed matrix, and logits q·k, positional logits q·r and the weighted sum 16 * 64
     * each; once per image the mixture logits 16 * 4 * 16 and the mixed matrices 16 * 4 * 64 * 3. With
     * {@code paper}, the value is all four projections 4 * 3 * 64 and their mixture 4 * 64 per pixel.
     */
    private static long handCountedFullMacs(boolean paper, int... blocks) {
        long pixels = 224L * 224;
        long stem = paper ? pixels * (2 * 3 * 64 + 4 * 3 * 64 + 4 * 64 + 3 * 16 * 64)
                : pixels * (2 * 3 * 64 + 3 * 64 + 3 * 16 * 64) + 16 * 4 * 16 + 16 * 4 * 64 * 3;
        return handCountedSasaMacs(7, paper, blocks) - 112L * 112 * 64 * 3 * 7 * 7 + stem;
    }

    @Test
    void fullAttentionSasaResNet26CountsEqualTheHandCountAndThePapersFigures() {
        ModelSummary s = ModelSummary.of(imagenet("sasa-resnet26-full"), IMAGENET);
        assertEquals(10_323_312, s.params());
        assertEquals(10.3e6, s.params(), 0.05e6, "SASA's Table 1: 10.3 M");
        assertEquals(handCountedFullMacs(false, 1, 2, 4, 1), s.macs());
        assertEquals(2_258_726_912L, s.macs());
        assertEquals(2 * handCountedFullMacs(true, 1, 2, 4, 1), s.paperFlops());
        assertEquals(4.7e9, s.paperFlops(), 0.05e9, "SASA's Table 1: 4.7 GFLOPs");
        Layer stem = s.layers().get(0);
        assertEquals(List.of("stem", "AttentionStem"), List.of(stem.path(), stem.type()));
        assertEquals(Shape.of(1, 64, 224, 224), stem.output(), "the attention runs at the image's resolution");
        assertEquals(1_456, stem.params());
        assertEquals(183_055_360L, stem.macs());
        Layer pool = s.layers().get(2);
        assertEquals(List.of("MaxPool2d", Shape.of(1, 64, 56, 56)), List.of(pool.type(), pool.output()),
                "4x4 stride 4: 224 -> 56, as the convolution stem");
    }

    @Test
    void fullAttentionSasaResNet38And50CountsArePinned() {
        ModelSummary s38 = ModelSummary.of(imagenet("sasa-resnet38-full"), IMAGENET);
        assertEquals(14_165_432, s38.params());
        assertEquals(handCountedFullMacs(false, 2, 3, 5, 2), s38.macs());
        assertEquals(2_863_422_976L, s38.macs());
        assertEquals(2 * handCountedFullMacs(true, 2, 3, 5, 2), s38.paperFlops());
        assertEquals(6.0e9, s38.paperFlops(), 0.07e9, "SASA's Table 1: 6.0 GFLOPs, printed from at least 5.95; the "
                + "baseline (6.43 against 6.5), conv-stem (5.73 against 5.7) and full ResNet-38 figures all fit a count "
                + "0.019 to 0.025 G above Vista's");

        ModelSummary s50 = ModelSummary.of(imagenet("sasa-resnet50-full"), IMAGENET);
        assertEquals(18_007_552, s50.params());
        assertEquals(handCountedFullMacs(false, 3, 4, 6, 3), s50.macs());
        assertEquals(3_468_119_040L, s50.macs());
        assertEquals(2 * handCountedFullMacs(true, 3, 4, 6, 3), s50.paperFlops());
        assertEquals(7.2e9, s50.paperFlops(), 0.05e9, "SASA's Table 1: 7.2 GFLOPs");
    }

    @Test
    void sasaResNet26MiniCountsEqualThePeers() {
        Module mini = ModelZoo.create("sasa-resnet26-mini", new ModelZoo.Request(1, 10, new Rng(0)));
        ModelSummary s = ModelSummary.of(mini, Shape.of(1, 28, 28));
        // models.count_complexity(build_mini("sasa26_mini"), (1, 28, 28)): params, macs, macs_naive.
        assertEquals(528_678, s.params());
        assertEquals(45_423_808, s.macs());
        assertEquals(48_453_184, s.paperMacs());
    }

    @Test
    void plainModelsHaveNoSeparatePaperCount() {
        assertEquals(resnet50Summary.macs(), resnet50Summary.paperMacs());
        String text = SummaryReport.of("resnet50", 1000, resnet50Summary).text();
        assertFalse(text.contains("paper's count"), text);
    }

    /** What {@code vista summary --model NAME} prints, after checking that it succeeded. */
    private static String summaryCommand(String model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new VistaCommand()).execute("summary", "--model", model);
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    @Test
    void summaryCommandShowsSasaResNet26BesideThePaper() {
        String text = summaryCommand("sasa-resnet26");
        assertTrue(text.matches("(?s).*parameters\\s+10,331,264\\s+\\(10\\.33 M\\)\\s+10\\.3 M.*"), text);
        assertTrue(text.matches("(?s).*FLOPs\\s+4,387,371,008\\s+\\(4\\.39 G\\)\\s+-.*"), text);
        assertTrue(text.matches("(?s).*FLOPs, paper's count\\s+4,484,311,040\\s+\\(4\\.48 G\\)\\s+4\\.5 G.*"), text);
        assertTrue(text.matches("(?s).*\\nlayer1\\.0\\.conv2 +LocalSelfAttention2d +1x64x56x56 .*"), text);
        assertTrue(text.contains("counts an attention layer's positional logits q·r as k·k·C"), text);
    }

    @Test
    void summaryCommandShowsFullAttentionSasaResNet26BesideThePaper() {
        String text = summaryCommand("sasa-resnet26-full");
        assertTrue(text.matches("(?s).*parameters\\s+10,323,312\\s+\\(10\\.32 M\\)\\s+10\\.3 M.*"), text);
        assertTrue(text.matches("(?s).*FLOPs\\s+4,517,453,824\\s+\\(4\\.52 G\\)\\s+-.*"), text);
        assertTrue(text.matches("(?s).*FLOPs, paper's count\\s+4,697,860,096\\s+\\(4\\.70 G\\)\\s+4\\.7 G.*"), text);
        assertTrue(text.matches("(?s).*\\nstem +AttentionStem +1x64x224x224 +1,456 +183,055,360 .*"), text);
        assertTrue(text.contains("the attention stem's values as four projections mixed per pixel"), text);
    }

    @Test
    void rowsAddUpToTheTotals() {
        List<Layer> rows = resnet50Summary.layers();
        assertEquals(resnet50Summary.params(), rows.stream().mapToLong(Layer::params).sum());
        assertEquals(resnet50Summary.macs(), rows.stream().mapToLong(Layer::macs).sum());
        assertEquals(resnet50Summary.otherOps(), rows.stream().mapToLong(Layer::otherOps).sum());
        assertTrue(resnet50Summary.otherOps() > 0, "BatchNorm and pooling report other ops");
        assertTrue(rows.stream().allMatch(l -> l.isCall() && l.cost() != null), "every row is a costed call");
    }

    @Test
    void paramsInTheSummaryEqualParameterCount() {
        assertEquals(resnet50.parameterCount(), resnet50Summary.params());
        Module small = ModelZoo.create("resnet26-small", new ModelZoo.Request(1, 10, new Rng(0)));
        assertEquals(small.parameterCount(), ModelSummary.of(small, Shape.of(1, 28, 28)).params());
    }

    @Test
    void rowsAreNamedByRegistrationPathWithTheirShapes() {
        Layer conv2 = resnet50Summary.layers().stream().filter(l -> l.path().equals("layer1.0.conv2")).findFirst()
                .orElseThrow();
        assertEquals("Conv2d", conv2.type());
        assertEquals(Shape.of(1, 64, 56, 56), conv2.output());
        assertEquals(64L * 64 * 9, conv2.params());
        assertEquals(56L * 56 * 64 * 64 * 9, conv2.macs());
        Layer fc = resnet50Summary.layers().get(resnet50Summary.layers().size() - 1);
        assertEquals("fc", fc.path());
        assertEquals(new Cost(2048L * 1000, 1000), fc.cost());
        assertEquals(Shape.of(1, 1000), resnet50Summary.output());
    }

    @Test
    void jsonParsesAndHasTheKeys() {
        SummaryReport report = SummaryReport.of("resnet50", 1000, resnet50Summary);
        JsonObject json = JsonParser.parseString(report.json()).getAsJsonObject();
        for (String key : List.of("model", "params", "macs", "flops", "input", "classes", "layers", "other_ops",
                "conventions", "paper")) {
            assertTrue(json.has(key), "key " + key + " in " + json.keySet());
        }
        assertEquals("resnet50", json.get("model").getAsString());
        assertEquals(25_557_032, json.get("params").getAsLong());
        assertEquals(4_089_184_256L, json.get("macs").getAsLong());
        assertEquals(8_178_368_512L, json.get("flops").getAsLong());
        assertEquals(1000, json.get("classes").getAsInt());
        assertEquals("[3,224,224]", json.get("input").toString());
        assertEquals(8.2e9, json.getAsJsonObject("paper").get("flops").getAsDouble());
        assertEquals(8_178_368_512L, json.get("flops_paper_count").getAsLong(), "no SASA layer: the same count");
        assertEquals(resnet50Summary.layers().size(), json.getAsJsonArray("layers").size());
        JsonObject first = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals("conv1", first.get("path").getAsString());
        assertEquals("[1,64,112,112]", first.get("output").toString());
    }

    @Test
    void textStatesTheConventionAndThePapersFigures() {
        String text = SummaryReport.of("resnet50", 1000, resnet50Summary).text();
        assertTrue(text.contains("FLOPs = 2 x MACs"), text);
        assertTrue(text.contains("MACs = multiply-adds of convolutions and linear layers"), text);
        assertTrue(text.contains("other ops"), text);
        assertTrue(text.contains("layer1.0.conv2"), text);
        assertTrue(text.contains("4,089,184,256"), text);
        assertTrue(text.matches("(?s).*FLOPs\\s+8,178,368,512\\s+\\(8\\.18 G\\)\\s+8\\.2 G.*"), text);
        assertTrue(text.contains("does not state its FLOP convention"), text);
        String small = SummaryReport.of("resnet50-small", 10, resnet50Summary).text();
        assertTrue(small.contains("no published figures for this setting"), small);
    }

    @Test
    void layersReportTheirOwnCost() {
        Conv2d grouped = Conv2d.builder().setChannels(4, 6).setKernel(3).optPadding(1).optGroups(2)
                .build(new Rng(1));
        Module net = new Sequential(grouped, new BatchNorm2d(6), new ReLU(), new MaxPool2d(2), new GlobalAvgPool2d(),
                new Flatten(), new Linear(6, 5, new Rng(2)));
        ModelSummary s = ModelSummary.of(net, Shape.of(4, 8, 8));
        List<Cost> costs = s.layers().stream().map(Layer::cost).toList();
        int outputs = 6 * 8 * 8;
        assertEquals(List.of(
                new Cost((long) outputs * 2 * 3 * 3, outputs),      // conv: (C_in / groups) k k per output, + bias
                Cost.otherOps(2L * outputs),                         // BatchNorm: a x + b
                Cost.otherOps(outputs),                              // ReLU
                Cost.otherOps(6 * 4 * 4 * 2 * 2),                    // max pool 2x2: window cells per output
                Cost.otherOps(6 * 4 * 4),                            // global average: one per input element
                Cost.NONE,                                           // flatten
                new Cost(6 * 5, 5)), costs);                         // linear: in out, + bias
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6"), s.layers().stream().map(Layer::path).toList());
        assertEquals(net.parameterCount(), s.params());
    }

    /** A block that records itself around a recording child: its child's work would be counted twice. */
    private static final class SelfRecordingBlock extends Module {
        private final Conv2d conv = registerModule("conv",
                Conv2d.builder().setChannels(1, 1).setKernel(1).build(new Rng(3)));

        @Override
        public Variable forward(Variable input) {
            return Ledger.record(this, input, conv.forward(input));
        }
    }

    @Test
    void rejectsALayerThatRecordsAroundRecordingChildren() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelSummary.of(new SelfRecordingBlock(), Shape.of(1, 4, 4)));
        assertTrue(e.getMessage().contains("counted twice"), e.getMessage());
    }

    /** A layer that neither records nor reports a cost, with a parameter of its own. */
    private static final class SilentScale extends Module {
        private final Variable scale = registerParameter("scale", Tensor.ones(3));

        @Override
        public Variable forward(Variable input) {
            return input.mul(scale.reshape(1, 3, 1, 1));
        }
    }

    @Test
    void parametersOfSilentLayersStillGetARow() {
        Module net = new Sequential(new SilentScale(), new ReLU());
        ModelSummary s = ModelSummary.of(net, Shape.of(3, 2, 2));
        assertEquals(2, s.layers().size());
        Layer silent = s.layers().get(1);
        assertEquals("0", silent.path());
        assertFalse(silent.isCall());
        assertNull(silent.cost());
        assertEquals(3, silent.params());
        assertEquals(net.parameterCount(), s.layers().stream().mapToLong(Layer::params).sum());
        assertTrue(SummaryReport.of("net", 3, s).text().contains("not run"));
    }

    @Test
    void summaryLeavesTheModelsModeAndStatisticsAlone() {
        BatchNorm2d norm = new BatchNorm2d(2);
        Module net = new Sequential(norm);
        ModelSummary.of(net, Shape.of(2, 3, 3));
        assertTrue(net.isTraining());
        assertArrayEquals(new float[] {0, 0}, norm.runningMean().floats());
        assertArrayEquals(new float[] {1, 1}, norm.runningVar().floats());
    }

    @Test
    void badInputIsASentenceNamingTheForm() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new VistaCommand()).execute("summary", "--model", "resnet26-small", "--input", "3x224");
        } finally {
            System.setErr(original);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(message.contains("--input must have the form CxHxW") && message.contains("'3x224'"), message);
    }
}
