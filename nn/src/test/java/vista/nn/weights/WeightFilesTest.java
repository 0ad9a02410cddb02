package vista.nn.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vista.nn.Linear;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.nn.weights.torch.TorchWeights;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * {@link WeightFiles} recognises each load case of the checkpoint fixtures by its content, whatever the
 * file is called, and reads the same tensors as the format's own reader, without the BatchNorm counters.
 */
class WeightFilesTest {
    @TempDir
    Path dir;

    static Path fixture(String caseName, String name) {
        try {
            return Path.of(WeightFilesTest.class.getResource("/fixtures/checkpoints/index.json").toURI())
                    .getParent().resolve(caseName).resolve(name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ckpt_resnet26_mini_zip, model.pth, TORCH_ZIP",
        "ckpt_resnet26_mini_half, half.pth, TORCH_ZIP",
        "ckpt_sasa26_mini_wrapped_views, sasa.pt, TORCH_ZIP",
        "ckpt_san10_pairwise_official_legacy, model_best.pth, TORCH_LEGACY",
        "ckpt_san10_patchwise_safetensors, model.safetensors, SAFETENSORS"})
    void everyFixtureIsRecognisedByItsContentUnderAnyNameAndLosesOnlyItsBatchCounters(String caseName, String file,
            WeightFormat format) throws IOException {
        Path renamed = Files.copy(fixture(caseName, file), dir.resolve("weights.bin"));
        assertEquals(format, WeightFormat.of(renamed));
        LinkedHashMap<String, Tensor> state = WeightFiles.stateDict(renamed);
        Map<String, Tensor> direct = format == WeightFormat.SAFETENSORS ? Safetensors.read(renamed).tensors()
                : TorchWeights.stateDict(renamed);
        List<String> expected = direct.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).toList();
        assertEquals(expected, List.copyOf(state.keySet()));
        assertTrue(state.size() > 10, "a whole network's weights");
        for (String name : expected) {
            assertArrayEquals(direct.get(name).toDoubleArray(), state.get(name).toDoubleArray(), 0, name);
        }
    }

    @Test
    void aVistaCheckpointGivesItsModelsState() throws IOException {
        Linear linear = new Linear(3, 2, new Rng(4));
        Path file = dir.resolve("run.pth");
        new Checkpoint(Map.of("model", "linear"), 1, 2, Map.of(), linear.stateDict(), Map.of()).write(file);
        assertEquals(WeightFormat.VISTA, WeightFormat.of(file));
        LinkedHashMap<String, Tensor> state = WeightFiles.stateDict(file);
        assertEquals(linear.stateDict().keySet(), state.keySet());
        assertArrayEquals(linear.stateDict().get("weight").toDoubleArray(), state.get("weight").toDoubleArray(), 0);
    }

    @Test
    void aPngNamedPthIsRefusedNamingTheFileAndItsFirstBytes() {
        Path photo = fixture("reject_not_a_checkpoint", "photo.pth");
        IOException e = assertThrows(IOException.class, () -> WeightFiles.stateDict(photo));
        assertTrue(e.getMessage().startsWith(photo + ": not a weight file Vista reads"), e.getMessage());
        assertTrue(e.getMessage().contains("89 50 4e 47"), e.getMessage());
    }

    @Test
    void anEmptyOrMissingFileIsRefusedNamingIt() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pth"));
        IOException e = assertThrows(IOException.class, () -> WeightFiles.stateDict(empty));
        assertTrue(e.getMessage().startsWith(empty + ": ") && e.getMessage().contains("empty"), e.getMessage());
        Path missing = dir.resolve("missing.pth");
        e = assertThrows(IOException.class, () -> WeightFiles.stateDict(missing));
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());
    }

    @Test
    void loadingReportsByNameWhatDoesNotFitAndNamesTheFile() throws IOException {
        Linear saved = new Linear(3, 2, new Rng(4));
        Path file = dir.resolve("linear.safetensors");
        Safetensors.write(file, saved.stateDict(), Map.of());
        Linear wider = new Linear(4, 2, new Rng(5));
        IOException e = assertThrows(IOException.class, () -> WeightFiles.load(wider, file));
        assertTrue(e.getMessage().startsWith(file + ": its weights do not fit the model Linear"), e.getMessage());
        assertTrue(e.getMessage().contains("Wrong shape: weight (expected"), e.getMessage());
        Linear same = new Linear(3, 2, new Rng(6));
        WeightFiles.load(same, file);
        assertArrayEquals(saved.stateDict().get("weight").toDoubleArray(), same.stateDict().get("weight").toDoubleArray(), 0);
        assertFalse(e.getMessage().contains("loadStateDict("), e.getMessage());
    }

    @Test
    void theRejectFixturesAreRefusedWithTheFileNamed() {
        for (String[] c : new String[][] {{"reject_os_system", "evil.pth"}, {"reject_legacy_subprocess", "evil.pt"},
            {"reject_safetensors_huge_header", "huge.safetensors"}, {"reject_safetensors_offsets", "short.safetensors"},
            {"reject_truncated_zip", "cut.pth"}, {"reject_storage_overrun", "bad.pth"}}) {
            Path file = fixture(c[0], c[1]);
            IOException e = assertThrows(IOException.class, () -> WeightFiles.stateDict(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }
}
