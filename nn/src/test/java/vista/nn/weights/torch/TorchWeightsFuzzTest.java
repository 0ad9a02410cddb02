package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Mutation;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes {@link TorchWeights#stateDict} with the property of {@link FuzzCampaign}: every damaged file is
 * refused with a {@link WeightFileException} naming it, or read as a state dict whose tensors are
 * consistent (and, for the unchanged file, exactly {@link TorchFiles}'s values), quickly and without
 * allocating what a length field claims.
 */
class TorchWeightsFuzzTest {
    @TempDir
    Path dir;

    private static void checkConsistent(byte[] original, byte[] stored, Map<String, Tensor> state) {
        assertFalse(state.isEmpty());
        state.forEach((name, t) -> {
            assertFalse(name.isEmpty());
            assertTrue(t.isContiguous());
            assertEquals(Arrays.stream(t.dims()).asLongStream().reduce(1, (a, b) -> a * b), t.numel());
        });
        if (Arrays.equals(original, stored)) {
            assertArrayEquals(TorchFiles.W, state.get("w").toFloatArray());
            assertEquals(TorchFiles.N, state.get("n").item());
        }
    }

    private static Map<String, Tensor> read(Path file, byte[] stored) throws IOException {
        Files.write(file, stored);
        return TorchWeights.stateDict(file);
    }

    @Test
    void damagedPicklesInsideAZipArchiveAreRefusedClearlyOrReadConsistently() {
        Path file = dir.resolve("fuzz.pth");
        byte[] pickle = TorchFiles.statePickle(false);
        byte[] original = TorchFiles.zip(pickle);
        FuzzCampaign.of("torch zip data.pkl", pickle).encodedAs("zip", TorchFiles::zip)
                .mutations(List.of(new Mutation("a storage of 2^31 - 1 elements claimed", b -> replace(b, "K\u0006t", "J\u00ff\u00ff\u00ff\u007ft")),
                        new Mutation("a size of 255 rows", b -> replace(b, "K\u0002K\u0003", "K\u00ffK\u0003"))))
                .budget(Duration.ofMillis(500))
                .run(Refusal.naming(WeightFileException.class, file.toString()), stored -> read(file, stored),
                        (stored, state) -> checkConsistent(original, stored, state));
    }

    @Test
    void damagedLegacyFilesAreRefusedClearlyOrReadConsistently() {
        Path file = dir.resolve("fuzz-legacy.pth");
        byte[] legacy = TorchFiles.legacy();
        int counts = legacy.length - 8 - 8 - 8 - 24;
        FuzzCampaign.of("torch legacy", legacy)
                .fields(List.of(new Field("float storage count", counts, 8, ByteOrder.LITTLE_ENDIAN),
                        new Field("long storage count", legacy.length - 16, 8, ByteOrder.LITTLE_ENDIAN)))
                .budget(Duration.ofMillis(500))
                .run(Refusal.naming(WeightFileException.class, file.toString()), stored -> read(file, stored),
                        (stored, state) -> checkConsistent(legacy, stored, state));
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from), "the pickle holds " + from);
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
