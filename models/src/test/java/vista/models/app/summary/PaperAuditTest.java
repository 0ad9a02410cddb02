package vista.models.app.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vista.models.app.summary.FigureComparison.Quantity;
import vista.models.app.summary.ModelSummary.Layer;
import vista.models.zoo.ModelZoo;
import vista.nn.ReLU;
import vista.tensor.Rng;
import vista.tensor.Shape;

/**
 * The audit of the papers' 15 models: Vista's exact counts, which rows match the published figures, and
 * the facts the explanations of the others state. Each model is built and summarised once, for all tests.
 */
class PaperAuditTest {
    private static final List<String> BASELINES = List.of("resnet26", "resnet38", "resnet50");
    private static final List<String> SASA_ATTENTION = List.of("sasa-resnet26", "sasa-resnet38", "sasa-resnet50",
            "sasa-resnet26-full", "sasa-resnet38-full", "sasa-resnet50-full");
    private static final List<String> SASA_TABLE = Stream.concat(BASELINES.stream(), SASA_ATTENTION.stream()).toList();
    private static final Map<String, ModelSummary> SUMMARIES = new LinkedHashMap<>();
    private static final Map<String, PaperAudit> AUDITS = new LinkedHashMap<>();

    @BeforeAll
    static void auditEveryPaperModel() {
        for (String model : PaperAudit.models()) {
            ModelSummary summary = ModelSummary.of(ModelZoo.create(model, new ModelZoo.Request(3, 1000, new Rng(0))),
                    PaperAudit.IMAGE);
            SUMMARIES.put(model, summary);
            AUDITS.put(model, PaperAudit.of(model, summary));
        }
    }

    @Test
    void auditsTheFifteenModelsOfBothPapersInTableOrder() {
        assertEquals(List.of("resnet26", "resnet38", "resnet50", "sasa-resnet26", "sasa-resnet38", "sasa-resnet50",
                "sasa-resnet26-full", "sasa-resnet38-full", "sasa-resnet50-full", "san10-pairwise", "san15-pairwise",
                "san19-pairwise", "san10-patchwise", "san15-patchwise", "san19-patchwise"), PaperAudit.models());
    }

    @Test
    void parameterCountsAreExact() {
        Map<String, Long> params = AUDITS.values().stream()
                .collect(Collectors.toMap(PaperAudit::model, a -> a.params().ours()));
        assertEquals(Map.ofEntries(
                Map.entry("resnet26", 13_696_552L), Map.entry("resnet38", 19_626_792L),
                Map.entry("resnet50", 25_557_032L), Map.entry("sasa-resnet26", 10_331_264L),
                Map.entry("sasa-resnet38", 14_173_384L), Map.entry("sasa-resnet50", 18_015_504L),
                Map.entry("sasa-resnet26-full", 10_323_312L), Map.entry("sasa-resnet38-full", 14_165_432L),
                Map.entry("sasa-resnet50-full", 18_007_552L), Map.entry("san10-pairwise", 10_531_848L),
                Map.entry("san15-pairwise", 14_065_436L), Map.entry("san19-pairwise", 17_596_156L),
                Map.entry("san10-patchwise", 11_841_124L), Map.entry("san15-patchwise", 16_181_310L),
                Map.entry("san19-patchwise", 20_518_470L)), params);
    }

    @Test
    void costsAreExactInThePapersConventions() {
        Map<String, String> costs = AUDITS.values().stream().collect(Collectors.toMap(PaperAudit::model,
                a -> a.cost().quantity().label() + " " + a.cost().ours()
                        + a.vistaCost().map(c -> ", " + c.quantity().label() + " " + c.ours()).orElse("")));
        assertEquals(Map.ofEntries(
                Map.entry("resnet26", "FLOPs = 2 x MACs 4684513280"),
                Map.entry("resnet38", "FLOPs = 2 x MACs 6431440896"),
                Map.entry("resnet50", "FLOPs = 2 x MACs 8178368512"),
                Map.entry("sasa-resnet26", "FLOPs, paper's count 4484311040, FLOPs = 2 x MACs 4387371008"),
                Map.entry("sasa-resnet38", "FLOPs, paper's count 5725314048, FLOPs = 2 x MACs 5596763136"),
                Map.entry("sasa-resnet50", "FLOPs, paper's count 6966317056, FLOPs = 2 x MACs 6806155264"),
                Map.entry("sasa-resnet26-full", "FLOPs, paper's count 4697860096, FLOPs = 2 x MACs 4517453824"),
                Map.entry("sasa-resnet38-full", "FLOPs, paper's count 5938863104, FLOPs = 2 x MACs 5726845952"),
                Map.entry("sasa-resnet50-full", "FLOPs, paper's count 7179866112, FLOPs = 2 x MACs 6936238080"),
                Map.entry("san10-pairwise", "MACs + other ops 2155269622"),
                Map.entry("san15-pairwise", "MACs + other ops 3022717308"),
                Map.entry("san19-pairwise", "MACs + other ops 3844153602"),
                Map.entry("san10-patchwise", "MACs + other ops 1865422568"),
                Map.entry("san15-patchwise", "MACs + other ops 2582851560"),
                Map.entry("san19-patchwise", "MACs + other ops 3258985704")), costs);
    }

    @Test
    void exactlyTheseRowsDiffer() {
        Set<String> differing = AUDITS.values().stream().flatMap(a -> a.rows().stream()).filter(c -> !c.matches())
                .map(c -> c.model() + " " + c.quantity()).collect(Collectors.toSet());
        assertEquals(Set.of("resnet38 FLOPS", "sasa-resnet38 PARAMETERS", "sasa-resnet38-full PARAMETERS",
                "sasa-resnet38-full PAPER_FLOPS", "sasa-resnet26 FLOPS", "sasa-resnet38 FLOPS", "sasa-resnet50 FLOPS",
                "sasa-resnet26-full FLOPS", "sasa-resnet38-full FLOPS", "sasa-resnet50-full FLOPS"), differing);
        assertEquals(30 + SASA_ATTENTION.size(), AUDITS.values().stream().mapToInt(a -> a.rows().size()).sum());
    }

    @Test
    void everyDifferingRowIsExplainedAndNoMatchingRowIs() {
        for (PaperAudit audit : AUDITS.values()) {
            for (FigureComparison c : audit.rows()) {
                if (c.matches()) {
                    assertNull(c.explanation(), c.toString());
                    assertEquals("matches", c.verdict());
                } else {
                    assertNotNull(c.explanation(), c.toString());
                    assertTrue(c.explanation().length() > 100, c.toString());
                    assertEquals("differs", c.verdict());
                }
            }
        }
    }

    @Test
    void aDifferenceWithoutAnExplanationCannotBeMade() {
        IllegalStateException unexplained = assertThrows(IllegalStateException.class,
                () -> new FigureComparison("resnet38", Quantity.FLOPS, 6_431_440_896L, 6.5e9, null));
        assertEquals("resnet38 FLOPs = 2 x MACs: Vista's 6,431,440,896 prints as 6.4 G, the paper as 6.5 G, and no "
                + "explanation is recorded; state the cause in PaperDifferences", unexplained.getMessage());
        IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> new FigureComparison("resnet50", Quantity.FLOPS, 8_178_368_512L, 8.2e9, "a cause"));
        assertTrue(stale.getMessage().contains("remove that explanation"), stale.getMessage());
    }

    @Test
    void roundsHalfUpToOneDecimalAndMeasuresTheDifferenceFromThePublishedFigure() {
        FigureComparison c = AUDITS.get("sasa-resnet38").params();
        assertEquals(new BigDecimal("14.2"), c.rounded());
        assertEquals(new BigDecimal("14.1"), c.printed());
        assertEquals(73_384, c.difference());
        assertEquals(73_384 / 14.1e6, c.relativeDifference(), 1e-15);
        assertTrue(new FigureComparison("m", Quantity.PARAMETERS, 14_149_999, 14.1e6, null).matches());
        assertEquals(new BigDecimal("14.2"),
                new FigureComparison("m", Quantity.PARAMETERS, 14_150_000, 14.2e6, null).rounded());
    }

    @Test
    void rejectsAModelNoPaperCoversAndASummaryOfAnotherImage() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PaperAudit.of("resnet26-small"));
        assertTrue(unknown.getMessage().contains("no published figures for model 'resnet26-small'"),
                unknown.getMessage());
        ModelSummary small = ModelSummary.of(new ReLU(), Shape.of(3, 32, 32));
        IllegalArgumentException otherImage = assertThrows(IllegalArgumentException.class,
                () -> PaperAudit.of("resnet26", small));
        assertTrue(otherImage.getMessage().contains("the summary is of a [3, 32, 32] image"), otherImage.getMessage());
    }

    // ------------------------------------------------ the facts the explanations in PaperDifferences state

    /** In G: how far above Vista's count a count may lie and still print as {@code audit}'s published cost. */
    private static double[] roomAbove(PaperAudit audit) {
        FigureComparison cost = audit.cost();
        return new double[] {(cost.published() - 0.05e9 - cost.ours()) / 1e9,
            (cost.published() + 0.05e9 - cost.ours()) / 1e9};
    }

    @Test
    void theThreeResNet38RowsFitOneCount19To25MegaflopsAboveOurs() {
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        for (String model : List.of("resnet38", "sasa-resnet38", "sasa-resnet38-full")) {
            double[] room = roomAbove(AUDITS.get(model));
            low = Math.max(low, room[0]);
            high = Math.min(high, room[1]);
        }
        assertEquals("0.019 0.025", String.format(Locale.ROOT, "%.3f %.3f", low, high));
        assertTrue(AUDITS.get("resnet26").cost().matches() && AUDITS.get("resnet50").cost().matches());
    }

    /** Other ops of BatchNorm (2 per element) and pooling (1 per element read) layers. */
    private static long batchNormAndPooling(ModelSummary summary) {
        return summary.layers().stream()
                .filter(l -> Set.of("BatchNorm2d", "MaxPool2d", "GlobalAvgPool2d").contains(l.type()))
                .mapToLong(Layer::otherOps).sum();
    }

    @Test
    void addingBatchNormAndPoolingFitsAllNineSasaRows() {
        for (String model : SASA_TABLE) {
            FigureComparison cost = AUDITS.get(model).cost();
            long count = cost.ours() + batchNormAndPooling(SUMMARIES.get(model));
            assertEquals(cost.printed(), cost.quantity().printed(BigDecimal.valueOf(count)), model);
        }
        assertEquals("0.020 0.026", String.format(Locale.ROOT, "%.3f %.3f",
                batchNormAndPooling(SUMMARIES.get("resnet38")) / 1e9,
                batchNormAndPooling(SUMMARIES.get("sasa-resnet38-full")) / 1e9));
    }

    /**
     * Parameters of a bottleneck ResNet from its architecture: the stem (the 7x7 convolution 3 -> 64, or
     * the attention stem's 1,456) and its BatchNorm; per stage of width {@code mid}, {@code blocks[stage]}
     * blocks of conv1 1x1, the spatial layer (a 3x3 convolution, or the q, k and v projections and the row
     * and column embeddings, k x dh/2 each with k = 7 and dh = mid / 8), conv3 1x1 to {@code 4 mid} and
     * three BatchNorms, the first also with a 1x1 downsample and its BatchNorm; the 2048 -> 1000 linear
     * layer with its bias.
     */
    private static long handCountedParams(boolean attention, boolean attentionStem, int... blocks) {
        long params = (attentionStem ? 1_456 : 64 * 3 * 7 * 7) + 2 * 64 + 2048L * 1000 + 1000;
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            long mid = 64 << stage;
            long out = 4 * mid;
            long spatial = attention ? 3 * mid * mid + 7 * (mid / 8) : 9 * mid * mid;
            long afterConv1 = spatial + mid * out + 2 * (mid + mid + out);  // spatial, conv3, bn1 to bn3
            params += in * mid + afterConv1 + in * out + 2 * out;           // the first block, with the downsample
            params += (blocks[stage] - 1) * (out * mid + afterConv1);       // the others: out channels in
            in = out;
        }
        return params;
    }

    @Test
    void sasaResNet38sParametersEqualTheHandCountAndTruncationFitsOnlyTheAttentionRows() {
        assertEquals(handCountedParams(false, false, 2, 3, 5, 2), AUDITS.get("resnet38").params().ours());
        assertEquals(handCountedParams(true, false, 2, 3, 5, 2), AUDITS.get("sasa-resnet38").params().ours());
        assertEquals(handCountedParams(true, true, 2, 3, 5, 2), AUDITS.get("sasa-resnet38-full").params().ours());
        for (String model : SASA_TABLE) {
            FigureComparison params = AUDITS.get(model).params();
            BigDecimal truncated = BigDecimal.valueOf(params.ours()).movePointLeft(6).setScale(1, RoundingMode.DOWN);
            if (SASA_ATTENTION.contains(model)) {
                assertEquals(params.printed(), truncated, model);
            } else if (!model.equals("resnet38")) { // 19.63 M prints as 19.6 either way
                assertNotEquals(params.printed(), truncated, model + " is rounded, not truncated");
            }
        }
    }

    // ------------------------------------------------ the report

    @Test
    void textStatesTheConventionsAndShowsEveryRowWithinOneHundredTwentyColumns() {
        String text = new AuditReport(List.copyOf(AUDITS.values())).text();
        assertTrue(text.contains("SASA's Table 1: FLOPs = 2 x multiply-adds."), text);
        assertTrue(text.contains("SAN's README: the official SAN counter's GMac = multiply-adds + BatchNorm (2 per "
                + "element) + ReLU (1 per element)"), text);
        assertTrue(text.lines().allMatch(line -> line.length() <= 120), text);
        assertTrue(text.matches("(?s).*\\nsasa-resnet38 +parameters +14,173,384 +14\\.2 M +14\\.1 M +\\+73,384 "
                + "+\\+0\\.52% +differs \\[3]\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n +FLOPs, paper's count +4,484,311,040 +4\\.5 G +4\\.5 G +-15,688,960 "
                + "+-0\\.35% +matches\\n.*"), text);
        assertTrue(text.matches("(?s).*\\nsan10-pairwise +parameters +10,531,848 +10\\.5 M +10\\.5 M .*"), text);
        for (int n = 1; n <= 4; n++) {
            assertTrue(text.contains("\n[" + n + "] "), text);
        }
        assertFalse(text.contains("[5]"), text);
    }

    @Test
    void jsonParsesAndHasTheKeys() {
        JsonObject json = JsonParser.parseString(new AuditReport(List.copyOf(AUDITS.values())).json())
                .getAsJsonObject();
        assertEquals("[3,224,224]", json.get("image").toString());
        assertEquals(Set.of("sasa", "san", "verdict"), json.getAsJsonObject("conventions").keySet());
        assertEquals(15, json.getAsJsonArray("models").size());
        for (var element : json.getAsJsonArray("models")) {
            JsonObject model = element.getAsJsonObject();
            String name = model.get("model").getAsString();
            assertEquals(SASA_ATTENTION.contains(name) ? Set.of("model", "paper", "params", "cost", "cost_vista_count")
                    : Set.of("model", "paper", "params", "cost"), model.keySet(), name);
            for (String row : List.of("params", "cost")) {
                JsonObject r = model.getAsJsonObject(row);
                assertEquals(Set.of("quantity", "convention", "unit", "ours", "published", "rounded", "difference",
                        "relative_difference", "verdict", "explanation"), r.keySet());
                assertEquals(r.get("verdict").getAsString().equals("matches"), r.get("explanation").isJsonNull(), name);
            }
        }
        JsonObject params = json.getAsJsonArray("models").get(4).getAsJsonObject().getAsJsonObject("params");
        assertEquals(14_173_384, params.get("ours").getAsLong());
        assertEquals(14_100_000, params.get("published").getAsLong());
        assertEquals(new BigDecimal("14.2"), params.get("rounded").getAsBigDecimal());
        assertEquals(73_384, params.get("difference").getAsLong());
        assertEquals("differs", params.get("verdict").getAsString());
    }
}
