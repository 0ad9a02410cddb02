package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

/** {@code vista train --weights FILE}: fine-tuning from exported weights, recorded, replayable, refused clearly. */
class FineTuneCommandTest {
    @TempDir
    Path tmp;

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void aRunStartsFromExportedWeightsRecordsThemAndReplaysBitForBit() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 48, 16, 16);
        Path first = tmp.resolve("first");
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "1", "--progress", "lines", "--out", first.toString());
        assertEquals(0, trained.status(), trained::toString);
        Path exported = tmp.resolve("first.pth");
        Cli.Outcome export = Cli.vista("export", "--checkpoint", first.resolve(RunDirectory.CHECKPOINT).toString(),
                "--format", "pth", "--out", exported.toString());
        assertEquals(0, export.status(), export::toString);

        Path tuned = tmp.resolve("tuned");
        Cli.Outcome tuning = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "1", "--lr", "0.01", "--weights", exported.toString(), "--progress", "lines",
                "--out", tuned.toString());
        assertEquals(0, tuning.status(), tuning::toString);
        JsonObject config = json(tuned.resolve("config.json"));
        assertEquals(exported.toAbsolutePath().toString(), config.get("init_weights").getAsString());
        assertEquals(false, config.get("reinit_head").getAsBoolean());
        assertEquals(json(first.resolve("manifest.json")).get("final_weights_sha256"),
                json(tuned.resolve("manifest.json")).get("initial_weights_sha256"),
                "the fine-tuned run starts from exactly the exported weights");

        Cli.Outcome replay = Cli.vista("replay", tuned.resolve("manifest.json").toString(), "--progress", "lines");
        assertEquals(0, replay.status(), replay::toString);

        Cli.Outcome resumed = Cli.vista("train", "--out", tuned.toString(), "--resume", "--weights", data.toString());
        assertEquals(2, resumed.status(), resumed::toString);
        assertTrue(resumed.err().contains("--weights " + data.toAbsolutePath()), resumed::toString);
    }

    @Test
    void reinitHeadWithoutWeightsAndAMissingFileAreRefused() {
        Cli.Outcome alone = Cli.vista("train", "--model", "resnet26-mini", "--reinit-head", "--out",
                tmp.resolve("a").toString());
        assertEquals(2, alone.status(), alone::toString);
        assertTrue(alone.err().contains("--reinit-head goes with --weights FILE"), alone::toString);
    }
}
