package vista.models.zoo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vista.autograd.Variable;
import vista.models.app.parity.ParityCase;
import vista.models.app.parity.TensorComparison;
import vista.nn.Module;
import vista.nn.weights.WeightFiles;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * {@link WeightFiles#load} puts every load case of the checkpoint fixtures, renamed so that only the
 * content tells the format, into the zoo model it names, which then reproduces PyTorch's eval-mode logits
 * within the case's tolerance; a file of another model is refused with the names that do not fit.
 */
class WeightFilesEvalTest {
    private static final Path CHECKPOINTS = Path.of("..", "nn", "src", "test", "resources", "fixtures", "checkpoints");
    private static final Shape INPUT = Shape.of(2, 1, 28, 28);
    private static final Shape LOGITS = Shape.of(2, 10);

    @TempDir
    Path dir;

    private static ByteBuffer bytes(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @CsvSource({
        "ckpt_resnet26_mini_zip, model.pth, resnet26-mini, 0.00026717022779201204",
        "ckpt_resnet26_mini_half, half.pth, resnet26-mini, 0.00018295068371216287",
        "ckpt_sasa26_mini_wrapped_views, sasa.pt, sasa-resnet26-mini, 0.000511001868718024",
        "ckpt_san10_pairwise_official_legacy, model_best.pth, san10-pairwise-mini, 1e-05",
        "ckpt_san10_patchwise_safetensors, model.safetensors, san10-patchwise-mini, 2.1589900371187345e-05"})
    void everyFixtureLoadsByContentIntoItsZooModelAndReproducesPyTorchsLogits(String name, String file,
            String modelName, double atol) throws IOException {
        Path folder = CHECKPOINTS.resolve(name);
        Path renamed = Files.copy(folder.resolve(file), dir.resolve("weights"));
        Module model = ModelZoo.create(modelName, new ModelZoo.Request(1, 10, new Rng(1), AttentionRecipe.PAPER));
        WeightFiles.load(model, renamed);
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

    @Test
    void weightsOfAnotherModelAreRefusedNamingTheFileAndTheEntriesThatDoNotFit() {
        Path file = CHECKPOINTS.resolve("ckpt_resnet26_mini_zip").resolve("model.pth");
        Module model = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 7, new Rng(1)));
        IOException e = assertThrows(IOException.class, () -> WeightFiles.load(model, file));
        assertTrue(e.getMessage().startsWith(file + ": its weights do not fit the model"), e.getMessage());
        assertTrue(e.getMessage().contains("Wrong shape: fc.weight (expected [7, "), e.getMessage());
    }
}
