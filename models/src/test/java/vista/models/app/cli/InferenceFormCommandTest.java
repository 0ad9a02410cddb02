package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

/**
 * {@code vista eval} and {@code vista predict} run the inference form by default and the training graph
 * with {@code --no-fold}; both give the same classes and, up to rounding, the same loss and logits.
 */
class InferenceFormCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path checkpoint;

    @BeforeAll
    static void train() throws IOException {
        data = SmallDataSets.stripes(tmp.resolve("data"), 64, 30, 16);
        Path run = tmp.resolve("run");
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "1", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        checkpoint = run.resolve(RunDirectory.CHECKPOINT);
    }

    @Test
    void evalGivesTheSameFiguresFoldedAndWithNoFold() {
        Cli.Outcome folded = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--progress", "lines");
        assertEquals(0, folded.status(), folded::toString);
        assertTrue(folded.out().contains("threads, BatchNorm folded into the convolutions."), folded.out());
        Cli.Outcome unfolded = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--no-fold", "--progress",
                "lines");
        assertTrue(unfolded.out().contains("threads, the training graph in evaluation mode (--no-fold)."),
                unfolded.out());
        JsonObject a = json(Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--json"));
        JsonObject b = json(Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--json", "--no-fold"));
        assertEquals(a.get("top1"), b.get("top1"));
        assertEquals(a.get("top5"), b.get("top5"));
        assertEquals(a.get("per_class"), b.get("per_class"), "the same confusion counts");
        assertEquals(b.get("loss").getAsDouble(), a.get("loss").getAsDouble(), 1e-4 * b.get("loss").getAsDouble());
    }

    @Test
    void predictGivesTheSameClassesAndLogitsUpToRoundingFoldedAndWithNoFold() throws IOException {
        Path image = PredictCommandTest.png(tmp.resolve("stripes.png"), 16, 16,
                (x, y) -> y % 4 < 2 ? 0xFFFFFF : 0x202020);
        JsonObject folded = first(Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--json",
                image.toString()));
        JsonObject unfolded = first(Cli.vista("predict", "--checkpoint", checkpoint.toString(), "--json", "--no-fold",
                image.toString()));
        JsonArray a = folded.getAsJsonArray("logits");
        JsonArray b = unfolded.getAsJsonArray("logits");
        double largest = 0;
        for (int i = 0; i < b.size(); i++) {
            largest = Math.max(largest, Math.abs(b.get(i).getAsDouble()));
        }
        for (int i = 0; i < b.size(); i++) {
            assertEquals(b.get(i).getAsDouble(), a.get(i).getAsDouble(), 1e-4 * largest, "logit " + i);
        }
        assertEquals(unfolded.getAsJsonArray("top").get(0).getAsJsonObject().get("class"),
                folded.getAsJsonArray("top").get(0).getAsJsonObject().get("class"));
    }

    private static JsonObject json(Cli.Outcome outcome) {
        assertEquals(0, outcome.status(), outcome::toString);
        return JsonParser.parseString(outcome.out()).getAsJsonObject();
    }

    private static JsonObject first(Cli.Outcome outcome) {
        assertEquals(0, outcome.status(), outcome::toString);
        return JsonParser.parseString(outcome.out()).getAsJsonArray().get(0).getAsJsonObject();
    }
}
