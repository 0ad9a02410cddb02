package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.torch.TorchWeights;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * {@code vista import}: a PyTorch file becomes a Vista checkpoint holding the same weights (float32), with
 * the source's path, format and SHA-256 in its config; weights that do not fit the model are refused.
 */
class ImportCommandTest {
    private static final Path LEGACY = Path.of("..", "nn", "src", "test", "resources", "fixtures", "checkpoints",
            "ckpt_san10_pairwise_official_legacy", "model_best.pth");

    @TempDir
    Path tmp;

    @Test
    void theOfficialLegacySanFileBecomesACheckpointWithItsWeightsAndProvenance() throws IOException,
            NoSuchAlgorithmException {
        Path out = tmp.resolve("san.vckp");
        Cli.Outcome imported = Cli.vista("import", LEGACY.toString(), "--model", "san10-pairwise-mini", "--out",
                out.toString());
        assertEquals(0, imported.status(), imported::toString);
        Checkpoint saved = Checkpoint.read(out);
        Map<String, String> config = saved.config();
        assertEquals("san10-pairwise-mini", config.get("model"));
        assertEquals(LEGACY.toAbsolutePath().normalize().toString(), config.get("imported_from"));
        assertEquals("a legacy PyTorch file", config.get("imported_format"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(LEGACY))),
                config.get("imported_sha256"));
        Map<String, Tensor> original = TorchWeights.stateDict(LEGACY);
        assertFalse(saved.model().isEmpty());
        saved.model().forEach((name, t) -> {
            assertEquals(DType.FLOAT32, t.dtype(), name);
            assertArrayEquals(original.get(name).toFloatArray(), t.toFloatArray(), name);
        });
        assertTrue(original.keySet().stream().allMatch(k -> saved.model().containsKey(k)
                || k.endsWith("num_batches_tracked")), "every weight is kept");

        Path image = PredictCommandTest.png(tmp.resolve("grey.png"), 28, 28, (x, y) -> (x * y % 256) * 0x010101);
        Cli.Outcome fromImport = Cli.vista("predict", "--model", "san10-pairwise-mini", "--weights", out.toString(),
                "--json", image.toString());
        Cli.Outcome fromSource = Cli.vista("predict", "--model", "san10-pairwise-mini", "--weights",
                LEGACY.toString(), "--json", image.toString());
        assertEquals(0, fromImport.status(), fromImport::toString);
        assertEquals(fromSource.out(), fromImport.out(), "the imported checkpoint predicts as its source");
    }

    @Test
    void weightsOfAnotherModelAreRefusedAndNothingIsWritten() {
        Path out = tmp.resolve("wrong.vckp");
        Cli.Outcome imported = Cli.vista("import", LEGACY.toString(), "--model", "resnet26-mini", "--out",
                out.toString());
        assertEquals(1, imported.status(), imported::toString);
        assertTrue(imported.err().startsWith("vista import: " + LEGACY + ": its weights do not fit the model"),
                imported.err());
        assertFalse(Files.exists(out));
        assertEquals(2, Cli.vista("import", LEGACY.toString(), "--model", "no-such-model", "--out",
                out.toString()).status());
    }
}
