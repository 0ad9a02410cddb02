package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.nn.Module;
import vista.tensor.Tensor;

class EvaluationTest {
    private static final int CLASSES = 10;

    /** A "model" whose logits are {@code value} for every class of every image. */
    private static Module constantLogits(double value) {
        return new Module() {
            @Override
            public Variable forward(Variable input) {
                return new Variable(Tensor.full(value, input.dims()[0], CLASSES));
            }
        };
    }

    private static Evaluation evaluate(Module model) {
        return evaluate(model, false);
    }

    private static Evaluation evaluate(Module model, boolean keepPredictions) {
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1};
        Dataset images = new Dataset("twelve", 1, 2, 2, new byte[labels.length * 4], labels,
                Collections.nCopies(CLASSES, "class"));
        try (DataLoader loader = DataLoader.builder().setDataset(images).setBatchSize(5).setSeed(0).optShuffle(false)
                .build()) {
            return Evaluation.run(model, loader, CLASSES, done -> { }, keepPredictions);
        }
    }

    @Test
    void nanLogitsCountAsWrongInTopOneAndTopFive() {
        Evaluation nan = evaluate(constantLogits(Double.NaN));
        assertEquals(12, nan.samples());
        assertTrue(Double.isNaN(nan.loss()), "the loss says the logits are NaN");
        assertEquals(0, nan.top1(), "no image is right");
        assertEquals(0, nan.top5(), "not 100%: NaN logits rank no class");
        for (int c = 0; c < CLASSES; c++) {
            for (int p = 0; p < CLASSES; p++) {
                assertEquals(0, nan.confusion().count(c, p), "NaN logits predict nothing");
            }
        }
        Evaluation ties = evaluate(constantLogits(0));
        assertEquals(2 / 12.0, ties.top1(), 1e-12, "equal finite logits: class 0 wins, as argmax");
        assertEquals(7 / 12.0, ties.top5(), 1e-12, "classes 0 to 4 make the top five");
    }

    @Test
    void keepsEachImagesPredictionAndItsSoftmaxProbabilityOnlyWhenAsked() {
        assertNull(evaluate(constantLogits(0)).predictions(), "the training loop's test pass keeps none");
        Evaluation ties = evaluate(constantLogits(0), true);
        SamplePredictions kept = ties.predictions();
        assertEquals(12, kept.size(), "one per image, across the batches of 5");
        for (int i = 0; i < 12; i++) {
            assertEquals(i % 10, kept.labels()[i]);
            assertEquals(0, kept.predicted()[i], "equal logits: class 0, as argmax");
            assertEquals(0.1, kept.probability()[i], 1e-15, "softmax of ten equal logits");
        }
        assertEquals(2, ties.top1Correct());
        SamplePredictions nan = evaluate(constantLogits(Double.NaN), true).predictions();
        assertEquals(-1, nan.predicted()[3], "NaN logits predict no class");
        assertTrue(Double.isNaN(nan.probability()[3]));
    }

    @Test
    void nonFiniteValueNamesTheFirstTensorAndElement() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("conv1.weight", Tensor.fromArray(new float[] {1, 2, 3}, 3));
        assertNull(Evaluation.nonFiniteValue(state));
        state.put("bn1.running_var", Tensor.fromArray(new float[] {1, Float.POSITIVE_INFINITY, Float.NaN}, 3));
        state.put("fc.weight", Tensor.fromArray(new float[] {Float.NaN}, 1));
        assertEquals("bn1.running_var contains Infinity (element 1 of 3)", Evaluation.nonFiniteValue(state));
    }
}
