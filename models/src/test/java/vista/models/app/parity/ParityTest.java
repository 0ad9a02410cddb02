package vista.models.app.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vista.models.app.cli.VistaCommand;
import vista.models.app.parity.CaseResult.Status;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Vista against the PyTorch fixtures in {@code src/test/resources/fixtures} (a copy of the shared set,
 * with its FORMAT.md; its {@code checkpoints} set is a link to nn's copy, so the 15 MB of weight files are
 * stored once), through the same runner as {@code vista parity}: every case of an op Vista has
 * passes, none is skipped (Vista has every op and model family of the vocabulary), and the runner catches broken
 * cases (a perturbed reference, a flipped parameter, wrong names, the other label-smoothing convention, a
 * hostile weight file that is loaded instead of refused).
 */
class ParityTest {

    private static final Path FIXTURES = fixtures();
    private static final Path CHECKPOINTS = FIXTURES.resolve("checkpoints");

    private static Path fixtures() {
        try {
            return Path.of(ParityTest.class.getResource("/fixtures/index.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesPyTorch() {
        return ParityRunner.caseFolders(FIXTURES).stream().map(folder -> DynamicTest.dynamicTest(
                folder.getFileName().toString(), () -> {
                    CaseResult r = ParityRunner.run(folder);
                    assertEquals(Status.PASSED, r.status(), report(r));
                }));
    }

    @Test
    void everyOpAndModelFamilyIsImplementedSoNoCaseIsSkipped() {
        assertEquals(Set.of(), CaseBuilders.notImplementedOps());
        assertEquals(Set.of(), CaseBuilders.notImplementedModelFamilies());
        for (Path folder : ParityRunner.caseFolders(FIXTURES)) {
            CaseResult r = ParityRunner.run(folder);
            assertNotEquals(Status.SKIPPED, r.status(), r.name() + ": " + r.message());
        }
    }

    @Test
    void everyOpOfTheVocabularyAndEveryModelFamilyHasACase() {
        Set<String> ops = new LinkedHashSet<>();
        Set<String> families = new LinkedHashSet<>();
        for (Path folder : ParityRunner.caseFolders(FIXTURES)) {
            ParityCase c = ParityCase.read(folder);
            ops.add(c.op());
            if (c.op().equals("model")) {
                families.add(c.attrs().string("family"));
            }
        }
        assertEquals(Set.copyOf(CaseBuilders.VOCABULARY), ops);
        assertEquals(Set.copyOf(CaseBuilders.MODEL_FAMILIES), families);
    }

    @Test
    void theThirteenCheckpointCasesRunWithTheOtherFixtures() {
        List<String> names = ParityRunner.caseFolders(FIXTURES).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(42 + 13, names.size());
        assertEquals(ParityRunner.caseFolders(CHECKPOINTS).stream().map(p -> p.getFileName().toString()).toList(),
                names.subList(42, 55));
    }

    // ---------------------------------------------------------------- checkpoint cases

    @Test
    void aRejectCasePassesOnlyWithVistasRefusalNamingTheFile() {
        CaseResult r = ParityRunner.run(CHECKPOINTS.resolve("reject_os_system"));
        assertEquals(Status.PASSED, r.status(), report(r));
        assertTrue(r.message().contains(CHECKPOINTS.resolve("reject_os_system/evil.pth").toAbsolutePath().toString())
                && r.message().contains("refused the global os.system"), r.message());
    }

    @Test
    void aRejectCaseFailsWhenVistaLoadsTheFile(@TempDir Path tmp) throws IOException {
        Path folder = copyCase(CHECKPOINTS, "reject_os_system", tmp);
        Files.copy(CHECKPOINTS.resolve("ckpt_resnet26_mini_zip/model.pth"), folder.resolve("evil.pth"),
                StandardCopyOption.REPLACE_EXISTING);

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.message().contains("which it must refuse"), r.message());
    }

    @Test
    void aCheckpointCaseFailsWhileTheMarkerOfItsIndexExists(@TempDir Path tmp) throws IOException {
        Path folder = copyCase(CHECKPOINTS, "reject_builtins_eval", tmp);
        Path marker = tmp.resolve("executed");
        Files.writeString(tmp.resolve("index.json"), "{\"cases\": [{\"name\": \"reject_builtins_eval\"}], "
                + "\"marker_never_created\": \"" + marker + "\"}");
        assertEquals(Status.PASSED, ParityRunner.run(folder).status());
        Files.writeString(marker, "");

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.message().contains("the marker " + marker + " exists"), r.message());
    }

    @Test
    void aLoadCaseComparesTheEvalLogits(@TempDir Path tmp) {
        Path folder = copyCase(CHECKPOINTS, "ckpt_san10_patchwise_safetensors", tmp);
        double allowed = ParityCase.read(folder).tolerance("eval_output").allowed(0);
        editDoubles(folder.resolve("eval_output.f64.bin"), v -> v[3] += 4 * allowed + 1e-4 * Math.abs(v[3]));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertEquals(3, r.failures().get(0).worstIndex(), report(r));
    }

    @Test
    void aLoadCaseFailsNamingTheFileWhenItDoesNotFitTheModel(@TempDir Path tmp) {
        Path folder = copyCase(CHECKPOINTS, "ckpt_resnet26_mini_zip", tmp);
        editCaseJson(folder, json -> json.getAsJsonObject("attrs").addProperty("model", "sasa-resnet26-mini"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.message().startsWith(folder.resolve("model.pth").toAbsolutePath() + " does not fit Vista's sasa-resnet26-mini"),
                r.message());
    }

    // ---------------------------------------------------------------- the comparison rule

    @Test
    void comparisonAllowsAtolPlusRtolTimesTheExpectedValue() {
        ParityCase.Tolerance tolerance = new ParityCase.Tolerance(1e-5, 1e-6);
        double[] expected = {0, 100, -100};
        TensorComparison within = TensorComparison.of("t", Tensor.fromArray(new float[] {1e-6f, 100.001f, -100.001f}, 3),
                Shape.of(3), expected, tolerance);
        assertTrue(within.passed(), within.describe());
        TensorComparison outside = TensorComparison.of("t", Tensor.fromArray(new float[] {3e-6f, 100f, -100f}, 3), Shape.of(3),
                expected, tolerance);
        assertFalse(outside.passed(), outside.describe());
        assertEquals(0, outside.worstIndex());
        assertEquals(3, outside.worstRatio(), 1e-3);
    }

    @Test
    void comparisonFailsOnNanInfinityAndAShapeMismatch() {
        ParityCase.Tolerance loose = new ParityCase.Tolerance(1, 1);
        TensorComparison nan = TensorComparison.of("t", Tensor.fromArray(new float[] {0, Float.NaN}, 2), Shape.of(2),
                new double[] {0, 0}, loose);
        assertFalse(nan.passed());
        assertEquals(1, nan.nonFinite());
        TensorComparison infinite = TensorComparison.of("t", Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY}, 1), Shape.of(1),
                new double[] {Double.POSITIVE_INFINITY}, loose);
        assertFalse(infinite.passed());
        TensorComparison shape = TensorComparison.of("t", Tensor.zeros(2, 3), Shape.of(3, 2), new double[6], loose);
        assertFalse(shape.passed());
        assertTrue(shape.problem().contains("Vista's shape is [2, 3], expected [3, 2]"), shape.problem());
    }

    // ---------------------------------------------------------------- the runner catches broken cases

    @Test
    void failsWhenAnOutputReferenceIsPerturbed(@TempDir Path tmp) {
        Path folder = copyCase("conv2d_3x3_s1_p1_bias", tmp);
        double allowed = ParityCase.read(folder).tolerance("output").allowed(0);
        editDoubles(folder.resolve("output.f64.bin"), v -> v[17] += 4 * allowed + 1e-5 * Math.abs(v[17]));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertEquals(List.of("output"), r.failures().stream().map(TensorComparison::tensor).toList(), report(r));
        TensorComparison output = r.failures().get(0);
        assertEquals(17, output.worstIndex());
        assertEquals(1, output.failing());
        assertTrue(output.worstRatio() > 3, output.describe());
    }

    @Test
    void failsWhenAParameterIsFlipped(@TempDir Path tmp) {
        Path folder = copyCase("conv2d_3x3_s1_p1_bias", tmp);
        editFloats(folder.resolve("weight.bin"), w -> w[5] = -w[5]);

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        Set<String> failing = r.failures().stream().map(TensorComparison::tensor).collect(Collectors.toSet());
        assertEquals(Set.of("output", "grad.input"), failing, report(r)
                + "\n(with L linear in the output, grad.weight and grad.bias do not depend on the weight)");
    }

    @Test
    void evalOutputUsesTheLoadedRunningStatistics(@TempDir Path tmp) {
        Path folder = copyCase("tiny_resnet", tmp);
        editFloats(folder.resolve("layer2.0.bn3.running_var.bin"), v -> v[0] *= 4);

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        Set<String> failing = r.failures().stream().map(TensorComparison::tensor).collect(Collectors.toSet());
        assertTrue(failing.contains("eval_output") && failing.contains("layer2.0.bn3.running_var.after"), report(r));
        assertFalse(failing.contains("output"), "the train-mode output uses batch statistics: " + report(r));
    }

    @Test
    void failsWithTheOtherLabelSmoothingConvention(@TempDir Path tmp) {
        Path folder = copyCase("cross_entropy_ls0.1_san", tmp);
        editCaseJson(folder, json -> json.getAsJsonObject("attrs").addProperty("smoothing", "torch"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.worstRatio() > 25, "FORMAT.md: typical mistakes fail by at least 25x; " + report(r));
    }

    @Test
    void failsWithTheOtherSasaBorderMode(@TempDir Path tmp) {
        Path folder = copyCase("sasa_k3_mask", tmp);
        editCaseJson(folder, json -> json.getAsJsonObject("attrs").addProperty("pad_mode", "zero"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.worstRatio() > 25, "FORMAT.md: typical mistakes fail by at least 25x; " + report(r));
    }

    @Test
    void failsWithTheSasaEmbeddingsSwapped(@TempDir Path tmp) {
        Path folder = copyCase("sasa_k5_zero", tmp);
        editCaseJson(folder, json -> {
            JsonObject row = tensor(json, "rel_row");
            JsonObject column = tensor(json, "rel_col");
            JsonElement rowFile = row.get("file");
            row.add("file", column.get("file"));
            column.add("file", rowFile);
        });

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status(), report(r));
        assertTrue(r.worstRatio() > 25, "FORMAT.md: typical mistakes fail by at least 25x; " + report(r));
    }

    @Test
    void reportsAMissingParameterName(@TempDir Path tmp) {
        Path folder = copyCase("linear_bias", tmp);
        editCaseJson(folder, json -> removeTensor(json, "bias"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().startsWith(folder.resolve("case.json").toString()), r.message());
        assertTrue(r.message().contains("parameter bias, which the case does not give (missing)"), r.message());
    }

    @Test
    void reportsAnExtraParameterName(@TempDir Path tmp) {
        Path folder = copyCase("batchnorm2d_train", tmp);
        editCaseJson(folder, json -> {
            JsonObject extra = tensor(json, "weight").deepCopy();
            extra.addProperty("name", "scale");
            json.getAsJsonArray("tensors").add(extra);
        });

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains("the case gives the parameter scale, which Vista's batchnorm2d does not have (extra)"),
                r.message());
    }

    @Test
    void reportsAParameterOfTheWrongShape(@TempDir Path tmp) {
        Path folder = copyCase("linear_bias", tmp);
        editCaseJson(folder, json -> {
            JsonArray shape = new JsonArray();
            shape.add(12);
            shape.add(5);
            tensor(json, "weight").add("shape", shape);
        });

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains("parameter weight has shape [5, 12] in Vista but [12, 5] in the case"), r.message());
    }

    @Test
    void namesAMissingTensorFile(@TempDir Path tmp) throws IOException {
        Path folder = copyCase("linear_bias", tmp);
        Files.delete(folder.resolve("grad.weight.f64.bin"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains(folder.resolve("grad.weight.f64.bin") + " does not exist"), r.message());
    }

    @Test
    void namesATruncatedTensorFileAndTheSizeExpected(@TempDir Path tmp) throws IOException {
        Path folder = copyCase("linear_bias", tmp);
        Path input = folder.resolve("input.bin");
        Files.write(input, Arrays.copyOf(Files.readAllBytes(input), 100));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains(input + ": expected 192 bytes (48 float32 values for shape [4, 12]), found 100"),
                r.message());
    }

    @Test
    void anUnknownOpFailsInsteadOfBeingSkipped(@TempDir Path tmp) {
        Path folder = copyCase("softmax_dim2", tmp);
        editCaseJson(folder, json -> json.addProperty("op", "conv3d"));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains("op \"conv3d\" is not in the fixtures' vocabulary"), r.message());
    }

    @Test
    void anUnsupportedAttributeFailsNamingIt(@TempDir Path tmp) {
        Path folder = copyCase("maxpool_2x2_s2", tmp);
        editCaseJson(folder, json -> json.getAsJsonObject("attrs").addProperty("ceil_mode", true));

        CaseResult r = ParityRunner.run(folder);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().contains("attrs.ceil_mode is true, but Vista supports only false"), r.message());
    }

    @Test
    void aMissingOrEmptyDirectoryIsAnError(@TempDir Path tmp) {
        ParityException missing = assertThrows(ParityException.class, () -> ParityRunner.caseFolders(tmp.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        ParityException empty = assertThrows(ParityException.class, () -> ParityRunner.caseFolders(tmp));
        assertTrue(empty.getMessage().contains("holds no parity case"), empty.getMessage());
    }

    // ---------------------------------------------------------------- the command

    @Test
    void commandPrintsOneLinePerCaseAndASummaryAndFailsOnAFailure(@TempDir Path tmp) {
        copyCase("linear_bias", tmp);
        copyCase("sasa_k3_mask", tmp);
        copyCase("san_subtraction_k3_reflect", tmp);
        Path broken = copyCase("global_avgpool", tmp);
        editFloats(broken.resolve("input.bin"), x -> x[0] += 1);

        Run run = vista("parity", tmp.toString());
        assertEquals(1, run.status(), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals(7, lines.size(), run.out());
        assertTrue(lines.get(2).matches("global_avgpool +\\S+ +\\S+ +FAIL \\(output\\)"), lines.get(2));
        assertTrue(lines.get(3).matches("linear_bias +\\d\\.\\d\\de-\\d\\d +0\\.\\d+ +PASS"), lines.get(3));
        assertTrue(lines.get(4).matches("san_subtraction_k3_reflect +\\d\\.\\d\\de-\\d\\d +0\\.\\d+ +PASS"),
                lines.get(4));
        assertTrue(lines.get(5).matches("sasa_k3_mask +\\d\\.\\d\\de-\\d\\d +0\\.\\d+ +PASS"), lines.get(5));
        assertEquals("3 passed, 1 failed, 0 skipped", lines.get(6));

        Run verbose = vista("parity", "--verbose", tmp.toString());
        assertTrue(verbose.out().lines().anyMatch(l -> l.matches(" +grad\\.weight +\\[5, 12] +\\S+ +\\S+ +PASS")),
                verbose.out());
    }

    @Test
    void commandExitsWithStatus2WhenTheDirectoryHasNoCases(@TempDir Path tmp) {
        Run run = vista("parity", tmp.resolve("missing").toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("does not exist"), run.err());
    }

    // ---------------------------------------------------------------- helpers

    private record Run(int status, String out, String err) {
    }

    private static Run vista(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new VistaCommand()).execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** Every compared tensor of a result, one per line, for assertion messages. */
    private static String report(CaseResult r) {
        StringBuilder sb = new StringBuilder(r.name() + ": " + r.status());
        if (r.message() != null) {
            sb.append(": ").append(r.message());
        }
        r.comparisons().forEach(c -> sb.append("\n  ").append(c.describe()));
        return sb.toString();
    }

    /** Copies the fixture case {@code name} to {@code dir/name}; returns the copy's folder. */
    private static Path copyCase(String name, Path dir) {
        return copyCase(FIXTURES, name, dir);
    }

    /** Copies the case {@code name} of the fixture set {@code set} to {@code dir/name}; returns the copy's folder. */
    private static Path copyCase(Path set, String name, Path dir) {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.list(set.resolve(name))) {
            Files.createDirectories(target);
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void editCaseJson(Path folder, Consumer<JsonObject> edit) {
        Path file = folder.resolve("case.json");
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            edit.accept(json);
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject tensor(JsonObject caseJson, String name) {
        for (JsonElement e : caseJson.getAsJsonArray("tensors")) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    private static void removeTensor(JsonObject caseJson, String name) {
        caseJson.getAsJsonArray("tensors").remove(tensor(caseJson, name));
    }

    private static void editFloats(Path file, Consumer<float[]> edit) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[b.capacity() / 4];
            b.asFloatBuffer().get(values);
            edit.accept(values);
            b.asFloatBuffer().put(values);
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void editDoubles(Path file, Consumer<double[]> edit) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[b.capacity() / 8];
            b.asDoubleBuffer().get(values);
            edit.accept(values);
            b.asDoubleBuffer().put(values);
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
