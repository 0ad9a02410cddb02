package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.compare.PredictionFile;
import vista.models.app.stats.Interval;
import vista.models.app.stats.Proportion;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

class EvalPredictionsTest {
    @TempDir
    Path tmp;

    @Test
    void writesOneLinePerImageAndIntervalsThatMatchTheCounts() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 16, 30, 16);
        Path checkpoint = Checkpoints.write(tmp.resolve("c.vckp"), "resnet26-mini", data, 16, state -> state);
        Path csv = tmp.resolve("predictions.csv");
        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--predictions", csv.toString(),
                "--json", "--progress", "lines");
        assertEquals(0, eval.status(), eval::toString);

        List<String> lines = Files.readAllLines(csv);
        assertEquals(PredictionFile.HEADER, lines.get(0));
        assertEquals(31, lines.size(), "a header and one line per test image");
        int correct = 0;
        for (int i = 0; i < 30; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(String.valueOf(i), f[0]);
            assertEquals(String.valueOf(i % 10), f[1], "the stripes' labels cycle through 0 to 9");
            double p = Double.parseDouble(f[3]);
            assertTrue(p >= 0.1 - 1e-6 && p <= 1, "the top class of ten has probability at least 1/10: " + p);
            correct += f[1].equals(f[2]) ? 1 : 0;
        }
        JsonObject json = JsonParser.parseString(eval.out()).getAsJsonObject();
        assertEquals(30, json.get("count").getAsInt());
        assertEquals(correct / 30.0, json.get("top1").getAsDouble(), 1e-12, "the file's answers are the top-1");
        Interval expected = new Proportion(correct, 30).interval();
        JsonArray top1 = json.getAsJsonArray("top1_interval");
        assertEquals(expected.lower(), top1.get(0).getAsDouble(), 1e-15);
        assertEquals(expected.upper(), top1.get(1).getAsDouble(), 1e-15);
        assertEquals(Proportion.METHOD, json.get("interval_method").getAsString());
        assertEquals(2, json.getAsJsonArray("top5_interval").size());
        JsonArray perClass = json.getAsJsonArray("per_class");
        assertEquals(10, perClass.size());
        int perClassCorrect = 0;
        for (int c = 0; c < 10; c++) {
            JsonObject row = perClass.get(c).getAsJsonObject();
            assertEquals(3, row.get("images").getAsInt());
            perClassCorrect += row.get("correct").getAsInt();
        }
        assertEquals(correct, perClassCorrect);

        Cli.Outcome text = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--progress", "lines");
        assertTrue(text.out().contains("95% intervals, exact (Clopper-Pearson): top-1 "
                + expected.percent(2) + " %"), text::toString);
        assertTrue(text.out().contains("Top-1 accuracy per class, with its 95% interval:"), text::toString);

        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.copy(checkpoint, run.resolve(RunDirectory.CHECKPOINT));
        Cli.Outcome same = Cli.vista("compare", run.toString(), csv.toString());
        assertEquals(0, same.status(), same::toString);
        assertTrue(same.out().contains("B is better than A on 0 images, worse on 0"), same::toString);
        assertTrue(same.out().contains("A and B answer every image the same way"), same::toString);
        assertEquals("Evaluating " + run.resolve(RunDirectory.CHECKPOINT) + " on its run's test split...\n", same.err());
        Cli.Outcome checkpoints = Cli.vista("compare", checkpoint.toString(), run.toString(), "--json");
        assertEquals(0, checkpoints.status(), checkpoints::toString);
        assertEquals(1.0, JsonParser.parseString(checkpoints.out()).getAsJsonObject().get("p_value").getAsDouble());
    }
}
