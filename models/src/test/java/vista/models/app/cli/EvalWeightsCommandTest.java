package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;

/**
 * {@code vista eval --weights FILE --model M --data D}: released weights, in any format, give the figures
 * the same weights give from their Vista checkpoint, and {@code --json} prints them as one object.
 */
class EvalWeightsCommandTest {
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

    private static JsonObject json(Cli.Outcome outcome) {
        assertEquals(0, outcome.status(), outcome::toString);
        assertEquals(1, outcome.out().lines().count(), "one line of JSON and nothing else: " + outcome.out());
        return JsonParser.parseString(outcome.out()).getAsJsonObject();
    }

    @Test
    void weightsInSafetensorsGiveTheFiguresOfTheirCheckpointAndJsonPrintsThemAsOneObject() throws IOException {
        JsonObject fromCheckpoint = json(Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--json"));
        assertEquals(30, fromCheckpoint.get("count").getAsInt());
        assertEquals(checkpoint.toString(), fromCheckpoint.get("source").getAsString());
        Path weights = tmp.resolve("released.bin");
        Safetensors.write(weights, Checkpoint.read(checkpoint).model(), Map.of());
        JsonObject fromWeights = json(Cli.vista("eval", "--weights", weights.toString(), "--model", "resnet26-mini",
                "--data", data.toString(), "--batch", "16", "--json"));
        for (String key : new String[] {"top1", "top5", "count"}) {
            assertEquals(fromCheckpoint.get(key), fromWeights.get(key), key);
        }
        assertEquals(fromCheckpoint.get("loss").getAsDouble(), fromWeights.get("loss").getAsDouble(), 1e-12,
                "the same normalisation and batches as the run's");
    }

    @Test
    void withoutJsonTheWeightsAreEvaluatedAsACheckpointIsNamingTheFile() {
        Cli.Outcome eval = Cli.vista("eval", "--weights", checkpoint.toString(), "--model", "resnet26-mini",
                "--data", data.toString(), "--classes", "10", "--progress", "lines");
        assertEquals(0, eval.status(), eval::toString);
        assertTrue(eval.out().contains("Evaluating resnet26-mini with the weights of " + checkpoint), eval.out());
        assertTrue(eval.out().contains("top-1 accuracy") && eval.out().contains("Confusion matrix"), eval.out());
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingTheFileAndTheMissingEntries() {
        Cli.Outcome eval = Cli.vista("eval", "--weights", checkpoint.toString(), "--model", "sasa-resnet26-mini",
                "--data", data.toString());
        assertEquals(1, eval.status(), eval::toString);
        assertTrue(eval.err().startsWith("vista eval: " + checkpoint + ": its weights do not fit the model"),
                eval.err());
        assertTrue(eval.err().contains("Missing: "), eval.err());
    }

    @Test
    void aFileThatIsNoWeightsIsRefusedNamingIt() throws IOException {
        Path photo = Files.write(tmp.resolve("photo.pth"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
        Cli.Outcome eval = Cli.vista("eval", "--weights", photo.toString(), "--model", "resnet26-mini",
                "--data", data.toString());
        assertEquals(1, eval.status(), eval::toString);
        assertTrue(eval.err().startsWith("vista eval: " + photo + ": not a weight file Vista reads"), eval.err());
    }

    @Test
    void weightsNeedAModelAndDataAndExcludeACheckpoint() {
        Cli.Outcome noModel = Cli.vista("eval", "--weights", checkpoint.toString(), "--data", data.toString());
        assertEquals(2, noModel.status(), noModel::toString);
        assertTrue(noModel.err().contains("--weights needs --model NAME and --data DATA"), noModel.err());
        Cli.Outcome both = Cli.vista("eval", "--weights", checkpoint.toString(), "--checkpoint", checkpoint.toString(),
                "--model", "resnet26-mini", "--data", data.toString());
        assertEquals(2, both.status(), both::toString);
        assertTrue(both.err().contains("Give either --checkpoint FILE"), both.err());
        Cli.Outcome wrongClasses = Cli.vista("eval", "--weights", checkpoint.toString(), "--model", "resnet26-mini",
                "--data", data.toString(), "--classes", "7");
        assertEquals(1, wrongClasses.status(), wrongClasses::toString);
        assertTrue(wrongClasses.err().contains("--classes 7 is not the 10 classes"), wrongClasses.err());
    }
}
