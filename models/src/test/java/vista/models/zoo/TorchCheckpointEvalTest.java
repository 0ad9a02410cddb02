package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vista.autograd.Variable;
import vista.models.app.parity.ParityCase;
import vista.models.app.parity.TensorComparison;
import vista.nn.Module;
import vista.nn.weights.torch.TorchWeights;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * End to end: each torch-format load case of the checkpoint fixtures (read from nn's test resources, the
 * project's copy of ../shared/fixtures/checkpoints) is loaded into the zoo model it names, which then
 * reproduces PyTorch's float64 eval-mode logits within the case's tolerance (rtol 1e-4 and the atol of
 * its case.json; ParityCase does not read checkpoint cases yet). The int64 {@code num_batches_tracked}
 * buffers, which Vista's BatchNorm2d does not keep, are left out.
 */
class TorchCheckpointEvalTest {
    private static final Path CHECKPOINTS = Path.of("..", "nn", "src", "test", "resources", "fixtures", "checkpoints");
    private static final Shape INPUT = Shape.of(2, 1, 28, 28);
    private static final Shape LOGITS = Shape.of(2, 10);

    private static ByteBuffer bytes(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @CsvSource({
        "ckpt_resnet26_mini_zip, model.pth, resnet26-mini, 0.00026717022779201204",
        "ckpt_resnet26_mini_half, half.pth, resnet26-mini, 0.00018295068371216287",
        "ckpt_sasa26_mini_wrapped_views, sasa.pt, sasa-resnet26-mini, 0.000511001868718024",
        "ckpt_san10_pairwise_official_legacy, model_best.pth, san10-pairwise-mini, 1e-05"})
    void aPyTorchWrittenCheckpointLoadsIntoTheZooModelAndReproducesItsEvalLogits(String name, String file,
            String modelName, double atol) throws Exception {
        Path folder = CHECKPOINTS.resolve(name);
        Module model = ModelZoo.create(modelName, new ModelZoo.Request(1, 10, new Rng(1)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        TorchWeights.stateDict(folder.resolve(file)).forEach((key, t) -> {
            if (!key.endsWith(".num_batches_tracked")) {
                state.put(key, t.dtype() == DType.FLOAT32 ? t : t.to(DType.FLOAT32));
            }
        });
        model.loadStateDict(state);
        model.eval();
        float[] input = new float[INPUT.numel()];
        bytes(folder.resolve("input.bin")).asFloatBuffer().get(input);
        double[] expected = new double[LOGITS.numel()];
        bytes(folder.resolve("eval_output.f64.bin")).asDoubleBuffer().get(expected);
        Tensor logits = model.forward(new Variable(Tensor.fromArray(input, INPUT.dims()))).data();
        TensorComparison cmp = TensorComparison.of("eval_output", logits, LOGITS, expected,
                new ParityCase.Tolerance(1e-4, atol));
        assertTrue(cmp.passed(), cmp.toString());
    }
}
