package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.nn.weights.safetensors.SafetensorsFile;
import vista.nn.weights.torch.TorchWeights;
import vista.tensor.Tensor;

class ExportCommandTest {
    /** The project's copy of the PyTorch-written checkpoint fixtures, in nn's test resources. */
    private static final Path CHECKPOINTS = Path.of("..", "nn", "src", "test", "resources", "fixtures", "checkpoints");

    @TempDir
    Path tmp;

    /** A checkpoint fixture written by PyTorch. */
    private static Path fixture(String caseName, String file) {
        Path path = CHECKPOINTS.resolve(caseName).resolve(file);
        assertTrue(Files.isRegularFile(path), "no checkpoint fixture " + path.toAbsolutePath());
        return path;
    }

    private Path export(Path checkpoint, Path out) {
        Cli.Outcome exported = Cli.vista("export", "--checkpoint", checkpoint.toString(), "--format", "safetensors",
                "--out", out.toString());
        assertEquals(0, exported.status(), exported::toString);
        return out;
    }

    @Test
    void exportWritesEveryWeightWithItsBitsAndACounterBesideEveryBatchNorm() throws IOException {
        Path checkpoint = Checkpoints.write(tmp.resolve("checkpoint.vckp"), "resnet26-mini", tmp, 28,
                UnaryOperator.identity());
        Map<String, Tensor> weights = Checkpoint.read(checkpoint).model();

        SafetensorsFile exported = Safetensors.read(export(checkpoint, tmp.resolve("resnet.safetensors")));

        long norms = weights.keySet().stream().filter(n -> n.endsWith(".running_var")).count();
        assertTrue(norms > 0);
        assertEquals(weights.size() + norms, exported.tensors().size());
        weights.forEach((name, tensor) -> {
            assertEquals("F32", exported.dtypes().get(name), name);
            assertArrayEquals(tensor.dims(), exported.tensors().get(name).dims(), name);
            float[] expected = tensor.toFloatArray();
            float[] actual = exported.tensors().get(name).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        name + "[" + i + "]");
            }
        });
        weights.keySet().stream().filter(n -> n.endsWith(".running_var")).forEach(n -> {
            String counter = n.replace(".running_var", ".num_batches_tracked");
            assertEquals("I64", exported.dtypes().get(counter), counter);
            assertEquals(4.0, exported.tensors().get(counter).item(), counter + " is the checkpoint's step");
        });
        assertEquals(Map.of("format", "pt", "vista.model", "resnet26-mini", "vista.epoch", "1", "vista.step", "4"),
                exported.metadata());
    }

    @Test
    void anExportedSanHasExactlyTheNamesShapesAndTypesOfThePyTorchStateDict() throws Exception {
        Path checkpoint = Checkpoints.write(tmp.resolve("checkpoint.vckp"), "san10-patchwise-mini", tmp, 28,
                UnaryOperator.identity());
        SafetensorsFile vista = Safetensors.read(export(checkpoint, tmp.resolve("san.safetensors")));
        SafetensorsFile torch = Safetensors.read(fixture("ckpt_san10_patchwise_safetensors", "model.safetensors"));

        assertEquals(torch.dtypes(), vista.dtypes(), "the same names, in the same order, of the same types");
        Map<String, List<Integer>> torchShapes = new LinkedHashMap<>();
        Map<String, List<Integer>> vistaShapes = new LinkedHashMap<>();
        torch.tensors().forEach((n, t) -> torchShapes.put(n, Arrays.stream(t.dims()).boxed().toList()));
        vista.tensors().forEach((n, t) -> vistaShapes.put(n, Arrays.stream(t.dims()).boxed().toList()));
        assertEquals(torchShapes, vistaShapes);
    }

    @Test
    void anExportedPthHoldsEveryWeightBitForBitUnderThePyTorchCheckpointsNamesAndShapes() throws IOException {
        Path checkpoint = Checkpoints.write(tmp.resolve("checkpoint.vckp"), "resnet26-mini", tmp, 28,
                UnaryOperator.identity());
        Map<String, Tensor> weights = Checkpoint.read(checkpoint).model();
        Path out = tmp.resolve("resnet.pth");
        Cli.Outcome exported = Cli.vista("export", "--checkpoint", checkpoint.toString(), "--format", "pth",
                "--out", out.toString());
        assertEquals(0, exported.status(), exported::toString);

        Map<String, Tensor> vista = TorchWeights.stateDict(out);
        Map<String, Tensor> torch = TorchWeights.stateDict(fixture("ckpt_resnet26_mini_zip", "model.pth"));
        Map<String, List<Integer>> torchShapes = new LinkedHashMap<>();
        Map<String, List<Integer>> vistaShapes = new LinkedHashMap<>();
        torch.forEach((n, t) -> torchShapes.put(n, Arrays.stream(t.dims()).boxed().toList()));
        vista.forEach((n, t) -> vistaShapes.put(n, Arrays.stream(t.dims()).boxed().toList()));
        assertEquals(List.copyOf(torchShapes.entrySet()), List.copyOf(vistaShapes.entrySet()),
                "the same names, in the same order, of the same shapes");
        weights.forEach((name, tensor) -> {
            float[] expected = tensor.toFloatArray();
            float[] actual = vista.get(name).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), name + "[" + i + "]");
            }
        });
        vista.keySet().stream().filter(n -> n.endsWith(".num_batches_tracked"))
                .forEach(n -> assertEquals(4.0, vista.get(n).item(), n + " is the checkpoint's step"));
    }

    @Test
    void aFormatVistaDoesNotWriteIsAUsageError() throws IOException {
        Path checkpoint = Checkpoints.write(tmp.resolve("checkpoint.vckp"), "resnet26-mini", tmp, 28,
                UnaryOperator.identity());
        Path out = tmp.resolve("model.onnx");
        Cli.Outcome refused = Cli.vista("export", "--checkpoint", checkpoint.toString(), "--format", "onnx",
                "--out", out.toString());
        assertEquals(2, refused.status(), refused::toString);
        assertTrue(refused.err().contains("--format onnx is not one Vista writes; use --format safetensors or --format pth."),
                refused::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingCheckpointIsNamedAndNothingIsWritten() {
        Path missing = tmp.resolve("none.vckp");
        Path out = tmp.resolve("w.safetensors");
        Cli.Outcome failed = Cli.vista("export", "--checkpoint", missing.toString(), "--format", "safetensors",
                "--out", out.toString());
        assertEquals(1, failed.status(), failed::toString);
        assertTrue(failed.err().startsWith("vista export: ") && failed.err().contains(missing.toString()),
                failed::toString);
        assertFalse(Files.exists(out));
    }
}
