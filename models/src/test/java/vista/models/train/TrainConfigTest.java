package vista.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vista.nn.optim.LearningRateSchedule;

/** The learning-rate schedules a run's options select. */
class TrainConfigTest {
    private static TrainConfig config(String schedule, int warmupEpochs) {
        return new TrainConfig("san10-pairwise-mini", "fashion-mnist", 4, 64, 0.1, 0.9, false, 1e-4, false, 0.1, "san",
                schedule, warmupEpochs, 30, 0.1, true, 2, 1, 0, 0);
    }

    @Test
    void cosineEpochIsTheOfficialSanRecipeConstantWithinAnEpoch() {
        LearningRateSchedule rates = config("cosine-epoch", 0).schedule(10);
        for (int epoch = 0; epoch < 4; epoch++) {
            double expected = 0.1 * (1 + Math.cos(Math.PI * epoch / 4)) / 2;
            for (int step = 0; step < 10; step++) {
                assertEquals(expected, rates.learningRate(epoch * 10L + step), 1e-15, "epoch " + epoch + " step " + step);
            }
        }
        assertEquals(0.1, rates.learningRate(0), "no warmup: the first epoch runs at the base rate");
    }

    @Test
    void cosineEpochRejectsAWarmup() {
        assertTrue(config("cosine-epoch", 1).problems().stream().anyMatch(p -> p.contains("has no warmup")),
                config("cosine-epoch", 1).problems().toString());
        assertTrue(config("cosine-epoch", 0).problems().isEmpty(), config("cosine-epoch", 0).problems().toString());
    }
}
