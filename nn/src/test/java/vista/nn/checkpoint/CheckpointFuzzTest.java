package vista.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.DType;
import vista.tensor.Tensor;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes {@link Checkpoint#read} with the property of {@link FuzzCampaign}: every damaged checkpoint is
 * refused with an IOException whose message names the file, or read as exactly what its bytes say (its
 * re-encoding gives the same bytes) with an epoch and step a run can have. Inner mutations recompute the
 * SHA-256, so that they reach the structure behind the checksum.
 */
class CheckpointFuzzTest {
    @TempDir
    Path dir;

    private static Checkpoint small() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("model", "tiny");
        config.put("batch", "32");
        Map<String, Long> rng = new LinkedHashMap<>();
        rng.put("seed", 42L);
        rng.put("shuf", 7L);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("w", Tensor.fromArray(new float[] {1, -2, 3.5f, Float.NaN, 0, 6}, 2, 3));
        model.put("b", Tensor.fromArray(new float[] {0.25f, -0.5f}, 2).to(DType.FLOAT64));
        model.put("s", Tensor.scalar(7));
        return new Checkpoint(config, 3, 120, rng, model, Map.of("w", Tensor.zeros(2, 3)));
    }

    @Test
    void damagedCheckpointsAreRefusedClearlyOrReadExactly() throws IOException {
        Path file = dir.resolve("run.ckpt");
        small().write(file);
        byte[] structure = CheckpointBytes.unsealed(Files.readAllBytes(file));
        List<Field> fields = CheckpointBytes.fields(structure);
        FuzzCampaign.of("checkpoint", structure).fields(fields)
                .mutations(CheckpointBytes.nameMutations(structure, fields))
                .encodedAs("SHA-256 recomputed", CheckpointBytes::sealed).budget(Duration.ofMillis(800))
                .run(Refusal.naming(IOException.class, file.toString()),
                        stored -> Checkpoint.read(Files.write(file, stored)),
                        (stored, c) -> {
                            assertArrayEquals(CheckpointBytes.unsealed(stored), CheckpointBytes.encode(c));
                            assertTrue(c.epoch() >= 0 && c.epoch() <= Integer.MAX_VALUE && c.step() >= 0,
                                    "epoch " + c.epoch() + ", step " + c.step());
                        });
    }
}
