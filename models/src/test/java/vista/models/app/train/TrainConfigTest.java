package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import vista.nn.optim.LearningRateSchedule;

/** The learning-rate schedules a run's options select, and the config's round trip through JSON. */
class TrainConfigTest {
    private static TrainConfig config(String schedule, int warmupEpochs) {
        return new TrainConfig("san10-pairwise-mini", "fashion-mnist", 4, 64, 0.1, 0.9, false, 1e-4, false, 0.1, "san",
                schedule, warmupEpochs, 30, 0.1, true, 2, 1, 0, 0, "", false, "lineage", 1);
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

    @Test
    void jsonRoundTripGivesTheSameConfigExactly() {
        TrainConfig config = new TrainConfig("resnet26-mini", "/data/x", 7, 48, 0.1 + 0.2, 0.875, true, 3.3e-5, true,
                1.0 / 3, "torch", "step", 2, 5, 0.37, false, 3, -1234567890123L, 1000, 500, "", false, "lineage", 1);
        JsonObject written = JsonParser.parseString(new Gson().toJson(config.toJson())).getAsJsonObject();
        assertEquals(config, TrainConfig.fromJson(written), "doubles, longs and booleans come back bit for bit");
        written.remove("lr_gamma");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromJson(written));
        assertTrue(e.getMessage().contains("no entry 'lr_gamma'"), e.getMessage());
    }
}
