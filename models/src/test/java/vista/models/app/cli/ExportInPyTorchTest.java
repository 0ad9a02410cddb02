package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Weights exported by {@code vista export} load into the PyTorch definitions ({@code ../shared/peer/models.py})
 * with {@code strict=True}, from both formats, and give Vista's logits. PyTorch is not run here: the file
 * {@value #EXPECTED} holds what {@code bench/compare/torch_loads_vista_export.py} measured on these exact
 * files (their SHA-256 is recorded beside the logits PyTorch computed from them). To remake it, run this test
 * with {@code -Dvista.exportDir=DIR}, which writes the exports and the input into DIR, then
 * {@code $(bench/compare/torch_env.sh) bench/compare/torch_loads_vista_export.py DIR} and copy
 * {@code DIR/torch_logits.json} here.
 */
class ExportInPyTorchTest {
    private static final String EXPECTED = "/vista/models/export/torch_logits.json";
    private static final List<String> MODELS = List.of("resnet26-mini", "sasa-resnet26-mini", "san10-pairwise-mini",
            "san10-patchwise-mini");
    /** PyTorch's logits and Vista's differ by float32 rounding in a different order of sums. */
    private static final double TOLERANCE = 2e-4;

    @TempDir
    Path tmp;

    @Test
    void pytorchLoadedExactlyTheseExportsStrictlyAndComputedVistasLogits() throws IOException {
        Path dir = System.getProperty("vista.exportDir") == null ? tmp : Path.of(System.getProperty("vista.exportDir"));
        Files.createDirectories(dir);
        Tensor input = Tensor.randn(new Rng(2026), 2, 1, 28, 28);
        Safetensors.write(dir.resolve("input.safetensors"), Map.of("input", input), Map.of());
        JsonObject expected;
        try (InputStream in = getClass().getResourceAsStream(EXPECTED)) {
            expected = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        for (String model : MODELS) {
            Path checkpoint = Checkpoints.write(tmp.resolve(model + ".vckp"), model, tmp, 28,
                    ExportInPyTorchTest::trainedLooking);
            for (String format : List.of("pth", "safetensors")) {
                Cli.Outcome export = Cli.vista("export", "--checkpoint", checkpoint.toString(), "--format", format,
                        "--out", dir.resolve(model + "." + format).toString());
                assertEquals(0, export.status(), export::toString);
            }
        }
        for (String model : MODELS) {
            JsonObject torch = expected.getAsJsonObject("models").getAsJsonObject(model);
            assertTrue(torch != null, EXPECTED + " has no entry for " + model + "; remake it (see the class comment)");
            for (String format : List.of("pth", "safetensors")) {
                assertEquals(torch.get(format + "_sha256").getAsString(), sha256(dir.resolve(model + "." + format)),
                        model + "." + format + ": the export's bytes differ from those PyTorch loaded; remake "
                                + EXPECTED + " (see the class comment)");
            }
            Path checkpoint = tmp.resolve(model + ".vckp");
            // The peer's SASA layer has no logit scale by default: the paper's formula.
            Module net = ModelZoo.create(model, new ModelZoo.Request(1, 10, new Rng(0), AttentionRecipe.PAPER));
            net.loadStateDict(Checkpoint.read(checkpoint).model());
            net.eval();
            float[] ours;
            try (var scope = Autograd.noGrad()) {
                ours = net.forward(new Variable(input)).data().toFloatArray();
            }
            JsonArray rows = torch.getAsJsonArray("logits");
            for (int n = 0; n < 2; n++) {
                JsonArray row = rows.get(n).getAsJsonArray();
                assertEquals(10, row.size());
                for (int c = 0; c < 10; c++) {
                    double theirs = row.get(c).getAsDouble();
                    assertEquals(theirs, ours[n * 10 + c], TOLERANCE, model + " logit [" + n + ", " + c + "]");
                }
            }
        }
        assertTrue(expected.get("strict").getAsBoolean(), "the script loads with strict=True");
    }

    /**
     * {@code state} moved away from a fresh initialisation, as training would: BatchNorm statistics, scales
     * and shifts that are not 0 and 1, so that evaluation mode is exercised.
     */
    private static Map<String, Tensor> trainedLooking(Map<String, Tensor> state) {
        Rng rng = new Rng(11);
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, t) -> {
            Rng r = rng.split(name);
            int[] dims = t.dims();
            if (name.endsWith("running_var")) {
                out.put(name, Tensor.uniform(r, 0.5, 1.5, dims));
            } else if (name.endsWith("running_mean") || name.endsWith(".bias")) {
                out.put(name, Tensor.uniform(r, -0.2, 0.2, dims));
            } else if (dims.length == 1) {
                out.put(name, Tensor.uniform(r, 0.8, 1.2, dims));
            } else {
                out.put(name, t);
            }
        });
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
