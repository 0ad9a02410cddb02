package vista.nn.weights;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.nn.Linear;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes {@link WeightFiles#stateDict} with the property of {@link FuzzCampaign}: a damaged weight file,
 * including one whose first bytes now name another format, is refused with an {@link IOException} naming
 * it, or read as a non-empty state dict without BatchNorm counters, quickly and without allocating what a
 * damaged length claims. The formats' own readers have their own campaigns; this one tests the dispatch.
 */
class WeightFilesFuzzTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("fuzz.weights").toAbsolutePath();
    }

    private FuzzCampaign.Report campaign(String name, byte[] valid, List<Field> fields) {
        Path file = file();
        return FuzzCampaign.of(name, valid).fields(fields).budget(Duration.ofMillis(500))
                .run(Refusal.naming(IOException.class, file.toString()),
                        stored -> WeightFiles.stateDict(Files.write(file, stored)),
                        (stored, state) -> {
                            assertFalse(state.isEmpty());
                            assertTrue(state.keySet().stream().noneMatch(k -> k.endsWith("num_batches_tracked")));
                        });
    }

    private static Map<String, Tensor> weights() {
        return new Linear(3, 2, new Rng(7)).stateDict();
    }

    @Test
    void damagedSafetensorsFilesAreRefusedNamingTheFileOrRead() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        Safetensors.write(valid, weights(), Map.of());
        FuzzCampaign.Report report = campaign("weight files (safetensors)", Files.readAllBytes(valid),
                List.of(new Field("header length", 0, 8, ByteOrder.LITTLE_ENDIAN)));
        assertTrue(report.accepted() >= 1 && report.refused() > 50, report.toString());
    }

    @Test
    void damagedVistaCheckpointsAreRefusedNamingTheFileOrRead() throws IOException {
        Path valid = dir.resolve("valid.vckp");
        new Checkpoint(Map.of("model", "linear"), 1, 1, Map.of(), weights(), Map.of()).write(valid);
        FuzzCampaign.Report report = campaign("weight files (Vista checkpoint)", Files.readAllBytes(valid),
                List.of(new Field("magic", 0, 8, ByteOrder.BIG_ENDIAN)));
        assertTrue(report.accepted() >= 1 && report.refused() > 50, report.toString());
    }
}
