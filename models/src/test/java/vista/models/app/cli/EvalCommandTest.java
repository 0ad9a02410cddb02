package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.data.FashionMnist;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;

class EvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void evalPrintsAccuracyAndConfusionMatrix() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 30, 16);
        Path run = tmp.resolve("run");
        Cli.Outcome trained = Cli.vista("train", "--model", "resnet26-mini", "--data", data.toString(), "--batch", "16",
                "--epochs", "1", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        JsonObject metrics = JsonParser.parseString(Files.readAllLines(run.resolve(RunDirectory.METRICS)).get(0))
                .getAsJsonObject();
        Path checkpoint = run.resolve(RunDirectory.CHECKPOINT);

        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--progress", "lines");
        assertEquals(0, eval.status(), eval::toString);
        String out = eval.out();
        assertTrue(out.contains("on Fashion-MNIST test: 30 images"), out);
        assertTrue(out.contains(String.format(Locale.ROOT, "loss %.4f   top-1 accuracy %.2f%%   top-5 accuracy %.2f%%",
                metrics.get("test_loss").getAsDouble(), 100 * metrics.get("test_acc").getAsDouble(),
                100 * metrics.get("test_top5").getAsDouble())), "the same figures as the run's last test: " + out);

        List<String> lines = out.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("true \\ predicted")).findFirst().orElseThrow());
        long total = 0;
        long diagonal = 0;
        for (int c = 0; c < 10; c++) {
            String row = lines.get(header + 1 + c);
            String name = FashionMnist.CLASS_NAMES.get(c);
            assertTrue(row.startsWith(c + " " + name), "row " + c + " is labelled with its class: " + row);
            String[] cells = row.substring((c + " " + name).length()).trim().split("\\s+");
            assertEquals(11, cells.length, "ten counts and the share correct: " + row);
            long rowTotal = 0;
            for (int p = 0; p < 10; p++) {
                rowTotal += Long.parseLong(cells[p]);
            }
            assertEquals(3, rowTotal, "three test images of each class: " + row);
            diagonal += Long.parseLong(cells[c]);
            total += rowTotal;
        }
        assertEquals(30, total);
        assertEquals(metrics.get("test_acc").getAsDouble(), diagonal / 30.0, 1e-12, "the diagonal is top-1");

        Cli.Outcome limited = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--limit-test", "10",
                "--batch", "4", "--progress", "lines");
        assertEquals(0, limited.status(), limited::toString);
        assertTrue(limited.out().contains("10 images"), limited::toString);

        Cli.Outcome missing = Cli.vista("eval", "--checkpoint", tmp.resolve("none.vckp").toString());
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().contains("none.vckp"), missing::toString);
    }

    @Test
    void refusesACheckpointWithNaNWeightsNamingTheTensor() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 30, 16);
        Path checkpoint = Checkpoints.write(tmp.resolve("nan.vckp"), "resnet26-mini", data, 16,
                state -> Checkpoints.filled(state, "layer2.1.bn2.running_var", Double.NaN));
        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--progress", "lines");
        assertEquals(1, eval.status(), eval::toString);
        assertEquals("vista eval: " + checkpoint + " cannot be evaluated: its model's layer2.1.bn2.running_var contains"
                + " NaN (element 0 of 32). vista train checks every weight before it saves, so this file was changed or"
                + " written by something else; evaluate another checkpoint, or train again.\n", eval.err());
        assertFalse(eval.out().contains("accuracy"), eval::toString);
    }

    @Test
    void refusesToReportFiguresFromANonFiniteTestLoss() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 30, 16);
        Path checkpoint = Checkpoints.write(tmp.resolve("overflow.vckp"), "resnet26-mini", data, 16,
                state -> Checkpoints.filled(state, "fc.weight", 3e38));
        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", checkpoint.toString(), "--progress", "lines");
        assertEquals(1, eval.status(), eval::toString);
        assertTrue(eval.err().startsWith("vista eval: " + checkpoint + " gives a test loss of NaN on Fashion-MNIST test"
                + " although every weight is finite: the model's logits overflow, so no accuracy is reported"),
                eval::toString);
        assertFalse(eval.out().contains("accuracy"), eval::toString);
    }
}
