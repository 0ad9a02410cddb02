package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.plot.RunMetrics;
import vista.models.app.train.RunDirectory;

class PlotCommandTest {
    @TempDir
    Path tmp;

    /** A run folder whose metrics.jsonl has {@code epochs} lines, as vista train writes them. */
    private Path run(String name, int epochs, double scale) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name));
        StringBuilder lines = new StringBuilder();
        for (int e = 1; e <= epochs; e++) {
            lines.append(String.format(Locale.ROOT, "{\"epoch\":%d,\"step\":%d,\"train_loss\":%.4f,\"train_acc\":%.4f,"
                    + "\"test_loss\":%.4f,\"test_acc\":%.4f,\"test_top5\":0.99,\"lr\":0.1,\"seconds\":1.5,"
                    + "\"images_per_second\":100.0}%n", e, 10 * e, scale * 2.0 / e, 1 - 0.5 / e, scale * 2.2 / e,
                    1 - 0.6 / e));
        }
        Files.writeString(folder.resolve(RunDirectory.METRICS), lines.toString());
        return folder;
    }

    @Test
    void drawsAPngOfTheAskedSizeForTwoRuns() throws IOException {
        Path a = run("conv", 5, 1);
        Path b = run("attention", 3, 1.2);
        Path png = tmp.resolve("curves.png");
        Cli.Outcome plot = Cli.vista("plot", a.toString(), b.toString(), "--out", png.toString(), "--width", "640",
                "--height", "800");
        assertEquals(0, plot.status(), plot::toString);
        assertEquals("Wrote the curves of 2 runs (conv, attention) to " + png + ".\n", plot.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(800, image.getHeight());
        assertTrue(colourCount(image) > 20, "a chart, not a blank picture");
    }

    @Test
    void readsEveryStepsLossFromTheManifestAtItsPlaceInTheEpochs() throws IOException {
        Path a = run("conv", 2, 1);
        Files.writeString(a.resolve(RunDirectory.MANIFEST), "{\"epochs\": [{\"epoch\": 1, \"losses\": [2.5, 2.0]},"
                + " {\"epoch\": 2, \"losses\": [1.5, 1.25, 1.0, 0.75]}]}");
        RunMetrics metrics = RunMetrics.read(a);
        assertEquals(List.of(new RunMetrics.Step(0.5, 2.5), new RunMetrics.Step(1, 2.0), new RunMetrics.Step(1.25, 1.5),
                new RunMetrics.Step(1.5, 1.25), new RunMetrics.Step(1.75, 1.0), new RunMetrics.Step(2, 0.75)),
                metrics.steps());
        assertEquals(List.of(), RunMetrics.read(run("no-manifest", 1, 1)).steps());

        Files.writeString(a.resolve(RunDirectory.MANIFEST), "{\"epochs\": [{\"epoch\": 1}]}");
        Path png = tmp.resolve("curves.png");
        Cli.Outcome plot = Cli.vista("plot", a.toString(), "--out", png.toString());
        assertEquals(1, plot.status(), plot::toString);
        assertTrue(plot.err().startsWith("vista plot: " + a.resolve(RunDirectory.MANIFEST) + " is not a manifest of"
                + " vista train"), plot::toString);
    }

    @Test
    void refusesFoldersThatAreNotRunsNamingThem() throws IOException {
        Path a = run("conv", 2, 1);
        Path png = tmp.resolve("curves.png");
        Path missing = tmp.resolve("no-such-run");
        Cli.Outcome absent = Cli.vista("plot", a.toString(), missing.toString(), "--out", png.toString());
        assertEquals(1, absent.status(), absent::toString);
        assertEquals("vista plot: " + missing + " is not a folder; vista plot takes run folders of vista train (the --out"
                + " of a run), which hold metrics.jsonl\n", absent.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.Outcome noMetrics = Cli.vista("plot", empty.toString(), "--out", png.toString());
        assertEquals(1, noMetrics.status(), noMetrics::toString);
        assertTrue(noMetrics.err().startsWith("vista plot: " + empty + " holds no metrics.jsonl, so it is not the"
                + " folder of a vista train run"), noMetrics::toString);

        Path broken = run("broken", 1, 1);
        Files.writeString(broken.resolve(RunDirectory.METRICS), "{\"epoch\":1,\"train_loss\":2.0}\n");
        Cli.Outcome badLine = Cli.vista("plot", broken.toString(), "--out", png.toString());
        assertEquals(1, badLine.status(), badLine::toString);
        assertTrue(badLine.err().contains("metrics.jsonl, line 1 has no number for train_acc"), badLine::toString);
        assertFalse(Files.exists(png), "nothing is written when a run cannot be read");

        Cli.Outcome folderOut = Cli.vista("plot", a.toString(), "--out", tmp.toString());
        assertEquals(2, folderOut.status(), folderOut::toString);
    }

    private static int colourCount(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
