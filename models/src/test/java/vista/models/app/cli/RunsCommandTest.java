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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.stats.Interval;
import vista.models.app.stats.Proportion;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

class RunsCommandTest {
    @TempDir
    static Path tmp;
    /** sasa-resnet26-mini, 1 of 2 epochs. */
    static Path attention;
    /** resnet26-mini, 2 epochs: the first on 1 thread, the second resumed on 2. */
    static Path conv;

    @BeforeAll
    static void train() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 30, 28);
        attention = tmp.resolve("attention");
        Cli.Outcome first = Cli.vista("train", "--model", "sasa-resnet26-mini", "--data", data.toString(), "--batch",
                "16", "--epochs", "2", "--stop-after-epoch", "1", "--progress", "lines", "--out", attention.toString());
        assertEquals(0, first.status(), first::toString);
        conv = tmp.resolve("conv");
        Cli.Outcome second = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "2", "--stop-after-epoch", "1", "--threads", "1", "--progress", "lines", "--out",
                conv.toString());
        assertEquals(0, second.status(), second::toString);
        Cli.Outcome resumed = Cli.vista("train", "--out", conv.toString(), "--resume", "--threads", "2", "--progress",
                "lines");
        assertEquals(0, resumed.status(), resumed::toString);
    }

    @Test
    void jsonHasEachRunsSizeCountIntervalSpeedAndSessions() throws IOException {
        Cli.Outcome runs = Cli.vista("runs", attention.toString(), conv.toString(), "--json");
        assertEquals(0, runs.status(), runs::toString);
        JsonArray rows = JsonParser.parseString(runs.out()).getAsJsonObject().getAsJsonArray("runs");
        JsonObject a = rows.get(0).getAsJsonObject();
        JsonObject c = rows.get(1).getAsJsonObject();

        // models.count_complexity(build_mini("sasa26_mini"), (1, 28, 28)) in the peer: params, macs.
        assertEquals(528_678, a.get("parameters").getAsLong());
        assertEquals(45_423_808, a.get("macs").getAsLong());
        assertEquals("tuned", a.get("recipe").getAsString());
        assertEquals(1, a.get("epochs").getAsInt());
        assertEquals(2, a.get("epochs_planned").getAsInt());
        assertEquals("resnet26-mini", c.get("model").getAsString());
        assertEquals(738_298, c.get("parameters").getAsLong());
        assertTrue(!c.has("recipe"), "the recipe does not shape a ResNet");
        assertEquals(List.of(1, 2), List.of(c.getAsJsonArray("threads").get(0).getAsInt(),
                c.getAsJsonArray("threads").get(1).getAsInt()));

        List<JsonObject> epochs = metrics(conv);
        double accuracy = epochs.get(1).get("test_acc").getAsDouble();
        long correct = c.get("test_correct").getAsLong();
        assertEquals(30, c.get("test_images").getAsLong());
        assertEquals(accuracy, correct / 30.0, 1e-12);
        Interval interval = new Proportion(correct, 30).interval();
        assertEquals(interval.lower(), c.getAsJsonArray("top1_interval").get(0).getAsDouble());
        assertEquals(interval.upper(), c.getAsJsonArray("top1_interval").get(1).getAsDouble());

        double seconds = 0;
        double images = 0;
        for (JsonObject e : epochs) {
            seconds += e.get("seconds").getAsDouble();
            images += e.get("seconds").getAsDouble() * e.get("images_per_second").getAsDouble();
        }
        assertEquals(seconds, c.get("training_seconds").getAsDouble(), 1e-9);
        assertEquals(images / seconds, c.get("images_per_second").getAsDouble(), 1e-6);
        assertEquals(2 * 64, images, 1e-6, "both epochs' 64 training images");
    }

    @Test
    void textAndMarkdownShowOneRowPerRun() {
        Cli.Outcome text = Cli.vista("runs", attention.toString(), conv.toString());
        assertEquals(0, text.status(), text::toString);
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(0).startsWith("run        model"), text.out());
        assertTrue(lines.get(1).matches("attention +sasa-resnet26-mini +tuned +1 of 2 +528,678 +45,423,808 .*"),
                text.out());
        assertTrue(lines.get(2).matches("conv +resnet26-mini +- +2 +738,298 .* 1 then 2"), text.out());

        Cli.Outcome markdown = Cli.vista("runs", conv.toString(), "--markdown");
        assertEquals(0, markdown.status(), markdown::toString);
        assertTrue(markdown.out().startsWith("| run | model | recipe | epochs |"), markdown.out());
        assertTrue(markdown.out().contains("\n| conv | resnet26-mini | - | 2 | 738,298 |"), markdown.out());
    }

    @Test
    void refusesWhatIsNotARunNamingTheFile() throws IOException {
        Path missing = tmp.resolve("no-such-run");
        Cli.Outcome absent = Cli.vista("runs", conv.toString(), missing.toString());
        assertEquals(1, absent.status(), absent::toString);
        assertEquals("vista runs: " + missing + " is not a folder; vista runs takes run folders of vista train (the"
                + " --out of a run)\n", absent.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.Outcome noConfig = Cli.vista("runs", empty.toString());
        assertEquals(1, noConfig.status(), noConfig::toString);
        assertTrue(noConfig.err().contains(empty + " holds no config.json"), noConfig::toString);

        Path forged = Files.createDirectories(tmp.resolve("forged"));
        Files.copy(conv.resolve(RunDirectory.CONFIG), forged.resolve(RunDirectory.CONFIG));
        Files.writeString(forged.resolve(RunDirectory.METRICS), Files.readAllLines(conv.resolve(RunDirectory.METRICS))
                .get(0).replaceFirst("\"test_acc\":[0-9.E-]+", "\"test_acc\":0.123456") + "\n");
        Cli.Outcome notACount = Cli.vista("runs", forged.toString());
        assertEquals(1, notACount.status(), notACount::toString);
        assertTrue(notACount.err().contains("test_acc 0.123456 is no count of the config's 30 test images"),
                notACount::toString);

        Cli.Outcome both = Cli.vista("runs", conv.toString(), "--markdown", "--json");
        assertEquals(2, both.status(), both::toString);
        assertTrue(both.err().contains("--markdown and --json are two forms of the same table"), both::toString);
    }

    private static List<JsonObject> metrics(Path run) throws IOException {
        return Files.readAllLines(run.resolve(RunDirectory.METRICS)).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }
}
