package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** A state dict written by {@link TorchZipWriter} is read back by Vista's own {@link TorchWeights} bit for bit. */
class TorchZipWriterTest {
    @TempDir
    Path tmp;

    private static Map<String, Tensor> stateDict() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("conv1.weight", Tensor.randn(new Rng(7), 4, 3, 3, 3));
        state.put("bn1.weight", Tensor.fromArray(new float[] {1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE}, 4));
        state.put("bn1.running_var", Tensor.fromArray(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 0.1f, 3e-39f}, 4));
        state.put("bn1.num_batches_tracked", Tensor.scalar(DType.FLOAT64, 123456789012.0));
        state.put("fc.weight", Tensor.randn(new Rng(8), 10, 300));
        state.put("fc.bias", Tensor.fromArray(new double[] {0.1, -1e-300}, 2));
        return state;
    }

    @Test
    void torchWeightsReadsBackEveryTensorBitForBitInTheSameOrder() throws IOException {
        Map<String, Tensor> written = stateDict();
        Path file = tmp.resolve("model.pth");
        TorchZipWriter.write(file, written, Set.of("bn1.num_batches_tracked"));

        Map<String, Tensor> read = TorchWeights.stateDict(file);
        assertEquals(List.copyOf(written.keySet()), List.copyOf(read.keySet()));
        written.forEach((name, expected) -> {
            Tensor actual = read.get(name);
            assertArrayEquals(expected.dims(), actual.dims(), name);
            if (expected.dtype() == DType.FLOAT32 && !name.endsWith("num_batches_tracked")) {
                assertEquals(DType.FLOAT32, actual.dtype(), name);
                float[] e = expected.toFloatArray();
                float[] a = actual.toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
                }
            } else {
                assertEquals(DType.FLOAT64, actual.dtype(), name);
                assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), name);
            }
        });
    }

    @Test
    void theArchiveHasTorchsEntriesStoredUncompressedAndTheStorageTypesOfEachTensor() throws IOException {
        Path file = tmp.resolve("model.pth");
        TorchZipWriter.write(file, stateDict(), Set.of("bn1.num_batches_tracked"));

        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1",
                    "archive/data/2", "archive/data/3", "archive/data/4", "archive/data/5", "archive/version"),
                    zip.stream().map(ZipEntry::getName).toList());
            assertTrue(zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED));
            assertEquals("3", new String(zip.getInputStream(zip.getEntry("archive/version")).readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals("little", new String(zip.getInputStream(zip.getEntry("archive/byteorder")).readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(8, zip.getEntry("archive/data/3").getSize(), "one int64");
            assertEquals(16, zip.getEntry("archive/data/5").getSize(), "two float64");
        }
        Map<?, ?> root = (Map<?, ?>) TorchWeights.read(file);
        assertEquals(StorageType.LONG, ((TensorRef) root.get("bn1.num_batches_tracked")).storage().type());
        assertEquals(StorageType.FLOAT, ((TensorRef) root.get("fc.weight")).storage().type());
        assertEquals(StorageType.DOUBLE, ((TensorRef) root.get("fc.bias")).storage().type());
    }

    @Test
    void equalStateDictsGiveEqualFiles() throws IOException {
        Path first = tmp.resolve("a.pth");
        Path second = tmp.resolve("b.pth");
        TorchZipWriter.write(first, stateDict(), Set.of("bn1.num_batches_tracked"));
        TorchZipWriter.write(second, stateDict(), Set.of("bn1.num_batches_tracked"));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void aFractionalInt64ValueIsRefusedNamingTheFileAndTheTensorAndNothingIsWritten() {
        Path file = tmp.resolve("model.pth");
        IOException e = assertThrows(IOException.class, () -> TorchZipWriter.write(file,
                Map.of("bn.num_batches_tracked", Tensor.scalar(2.5)), Set.of("bn.num_batches_tracked")));
        assertTrue(e.getMessage().contains(file.toAbsolutePath() + ": tensor 'bn.num_batches_tracked' is written as int64,"
                + " but holds 2.5"), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
