package vista.nn.weights.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;

/**
 * The safetensors files of the checkpoint fixtures, written by PyTorch through
 * {@code save_safetensors} in ../shared/peer/checkpoints.py: the state dict of the peer's
 * {@code san10_patchwise_mini} (official SAN names, {@code num_batches_tracked} as I64), and two broken
 * files that must be refused before anything is allocated.
 */
class SafetensorsFixtureTest {
    private static final String SAN = "ckpt_san10_patchwise_safetensors";

    private static int[] shape(SafetensorsFile read, String name) {
        Tensor t = read.tensors().get(name);
        assertTrue(t != null, name + " is in the file");
        return t.dims();
    }

    @Test
    void readsEveryTensorOfTheSanStateDictThatPyTorchWrote() throws Exception {
        SafetensorsFile read = Safetensors.read(SharedFixtures.checkpoint(SAN, "model.safetensors"));

        assertEquals(Map.of("format", "pt"), read.metadata());
        assertEquals(348, read.tensors().size());
        assertEquals(List.copyOf(new TreeSet<>(read.tensors().keySet())), List.copyOf(read.tensors().keySet()),
                "the names in the writer's sorted order");
        for (Map.Entry<String, Tensor> e : read.tensors().entrySet()) {
            String name = e.getKey();
            boolean counter = name.endsWith(".num_batches_tracked");
            assertEquals(counter ? "I64" : "F32", read.dtypes().get(name), name);
            if (counter) {
                assertEquals(0, e.getValue().rank(), name + " is a scalar");
            }
            for (double v : e.getValue().toDoubleArray()) {
                assertTrue(Double.isFinite(v), name + " holds " + v);
            }
        }
        assertEquals(46, read.dtypes().values().stream().filter("I64"::equals).count());
    }

    @Test
    void theSanStateDictHasTheOfficialNamesAndShapes() throws Exception {
        SafetensorsFile read = Safetensors.read(SharedFixtures.checkpoint(SAN, "model.safetensors"));

        assertEquals(List.of(32, 1, 1, 1), List.of(boxed(shape(read, "conv_in.weight"))));
        assertEquals(List.of(10, 512), List.of(boxed(shape(read, "fc.weight"))));
        assertEquals(List.of(10), List.of(boxed(shape(read, "fc.bias"))));
        assertEquals(List.of(2, 32, 1, 1), List.of(boxed(shape(read, "layer0.0.sam.conv1.weight"))));
        Set<String> block = new TreeSet<>();
        for (String name : read.tensors().keySet()) {
            if (name.startsWith("layer0.0.")) {
                block.add(name.substring("layer0.0.".length()));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String bn : List.of("bn1", "bn2", "sam.conv_w.0", "sam.conv_w.3")) {
            for (String field : List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked")) {
                expected.add(bn + "." + field);
            }
        }
        for (String conv : List.of("conv", "sam.conv1", "sam.conv2", "sam.conv3", "sam.conv_w.5")) {
            expected.add(conv + ".weight");
            expected.add(conv + ".bias");
        }
        expected.add("sam.conv_w.2.weight");
        assertEquals(expected, block, "a patchwise block: its BatchNorms, 1x1 convolutions and the weight mapping");
        for (String name : read.tensors().keySet()) {
            if (name.endsWith(".running_var")) {
                for (double v : read.tensors().get(name).toDoubleArray()) {
                    assertTrue(v > 0, name + " is a variance, yet holds " + v);
                }
            }
        }
    }

    @Test
    void writingTheReadTensorsBackWithTheirTypesGivesTheSameBytesAsPyTorch(@TempDir Path dir) throws Exception {
        Path original = SharedFixtures.checkpoint(SAN, "model.safetensors");
        SafetensorsFile read = Safetensors.read(original);
        Path copy = dir.resolve("copy.safetensors");

        Safetensors.write(copy, read.tensors(), read.dtypes(), read.metadata());

        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    private static Integer[] boxed(int[] dims) {
        return Arrays.stream(dims).boxed().toArray(Integer[]::new);
    }

    @Test
    void aHeaderClaimingOneTebibyteIsRefusedBeforeAllocating() {
        Path file = SharedFixtures.checkpoint("reject_safetensors_huge_header", "huge.safetensors");
        SafetensorsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(SafetensorsException.class, () -> Safetensors.read(file)));
        assertEquals(file.toAbsolutePath() + ": the header length field says 1099511627776 bytes, but the file has"
                + " 10 bytes; the file is truncated, damaged or not safetensors", e.getMessage());
    }

    @Test
    void offsetsPastTheEndOfTheFileAreRefusedNamingTheTensor() {
        Path file = SharedFixtures.checkpoint("reject_safetensors_offsets", "short.safetensors");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(file.toAbsolutePath() + ": tensor \"fc.weight\": data_offsets [0, 20480] end past the data"
                + " section, which has 64 bytes; the file is truncated or its header is wrong", e.getMessage());
    }
}
