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
import vista.models.app.compare.PredictionFile;
import vista.models.app.stats.PairedProportions;

class CompareCommandTest {
    @TempDir
    Path tmp;

    /**
     * A prediction file of {@code n} images (label i mod 10) in which image i is answered correctly when
     * {@code right.test(i)}, and as class (label + 1) mod 10 otherwise.
     */
    private Path predictions(String name, int n, java.util.function.IntPredicate right) throws IOException {
        StringBuilder sb = new StringBuilder(PredictionFile.HEADER).append('\n');
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            sb.append(i).append(',').append(label).append(',').append(right.test(i) ? label : (label + 1) % 10)
                    .append(",0.5\n");
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    @Test
    void saysInWordsWhereBIsBetterAndWorseWithMcNemarsP() throws IOException {
        // images 0-79 both right; 80-84 only A; 85-99 only B; 100-119 both wrong
        Path a = predictions("a.csv", 120, i -> i < 85);
        Path b = predictions("b.csv", 120, i -> i < 80 || (i >= 85 && i < 100));
        Cli.Outcome compared = Cli.vista("compare", a.toString(), b.toString());
        assertEquals(0, compared.status(), compared::toString);
        PairedProportions pair = new PairedProportions(80, 5, 15, 20);
        String out = compared.out();
        assertTrue(out.contains("B is better than A on 15 images, worse on 5 (both right on 80, both wrong on 20)."),
                out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "McNemar's exact test: p = %.3f",
                pair.mcnemarP())), out);
        assertTrue(out.contains("Accuracy difference B - A: +8.33 points, 95% interval "
                + pair.differenceInterval().signedPoints(2)), out);
        assertTrue(out.contains("A: " + a + ": 85 of 120 test images correct, top-1 70.83%"), out);

        Cli.Outcome json = Cli.vista("compare", a.toString(), b.toString(), "--json");
        assertEquals(0, json.status(), json::toString);
        JsonObject m = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(pair.mcnemarP(), m.get("p_value").getAsDouble(), 1e-15);
        assertEquals(10 / 120.0, m.get("difference").getAsDouble(), 1e-15);
        assertEquals(pair.differenceInterval().lower(), m.getAsJsonArray("interval").get(0).getAsDouble(), 1e-15);
        assertEquals(pair.differenceInterval().upper(), m.getAsJsonArray("interval").get(1).getAsDouble(), 1e-15);
        assertEquals(15, m.get("b_better").getAsInt());
        assertEquals(5, m.get("b_worse").getAsInt());
        assertEquals(85, m.getAsJsonObject("a").get("correct").getAsInt());
    }

    @Test
    void printsTinyPValuesWithTheirExponentNeverAsZero() throws IOException {
        // 188 images only B gets right, 473 only A: the SAN pairwise and ResNet families of the README
        Path a = predictions("a.csv", 1000, i -> i < 473 + 200);
        Path b = predictions("b.csv", 1000, i -> i >= 473 && i < 473 + 200 + 188);
        Cli.Outcome compared = Cli.vista("compare", a.toString(), b.toString());
        assertEquals(0, compared.status(), compared::toString);
        assertTrue(compared.out().contains("B is better than A on 188 images, worse on 473"), compared::toString);
        assertTrue(compared.out().contains("McNemar's exact test: p = 3.0e-29,"), compared::toString);

        Cli.Outcome json = Cli.vista("compare", a.toString(), b.toString(), "--json");
        JsonObject m = JsonParser.parseString(json.out()).getAsJsonObject();
        PairedProportions pair = new PairedProportions(200, 473, 188, 139);
        assertEquals(pair.mcnemarLog10P(), m.get("p_value_log10").getAsDouble(), 1e-12, json::toString);
        assertEquals(pair.mcnemarP(), m.get("p_value").getAsDouble(), 1e-9 * pair.mcnemarP(), json::toString);
    }

    @Test
    void testsAClaimAgainstOneRunOrBoth() throws IOException {
        Path a = predictions("a.csv", 200, i -> i % 4 != 0);
        Cli.Outcome inside = Cli.vista("compare", a.toString(), "--claim", "74.9");
        assertEquals(0, inside.status(), inside::toString);
        assertTrue(inside.out().contains("Claim 74.9%: inside A's 95% interval"), inside::toString);
        assertTrue(inside.out().contains("for 150 of 200 correct if the true accuracy were 74.9%, so this run is"
                + " consistent with the claim."), inside::toString);

        Cli.Outcome outside = Cli.vista("compare", a.toString(), "--claim", "90", "--json");
        assertEquals(0, outside.status(), outside::toString);
        JsonObject claim = JsonParser.parseString(outside.out()).getAsJsonObject().getAsJsonObject("claim");
        assertEquals(0.9, claim.get("claimed").getAsDouble(), 1e-15);
        assertEquals(false, claim.getAsJsonObject("a").get("inside").getAsBoolean());
        assertTrue(claim.getAsJsonObject("a").get("p_value").getAsDouble() < 1e-6, outside::toString);

        Path b = predictions("b.csv", 200, i -> true);
        Cli.Outcome both = Cli.vista("compare", a.toString(), b.toString(), "--claim", "74.9");
        assertEquals(0, both.status(), both::toString);
        assertTrue(both.out().contains("Claim 74.9%: outside B's 95% interval"), both::toString);
    }

    @Test
    void refusesTwoRunsNotOnTheSameTestSet() throws IOException {
        Path a = predictions("a.csv", 120, i -> true);
        Path shorter = predictions("short.csv", 100, i -> true);
        Cli.Outcome counts = Cli.vista("compare", a.toString(), shorter.toString());
        assertEquals(1, counts.status(), counts::toString);
        assertEquals("vista compare: " + a + " has predictions for 120 images but " + shorter + " for 100: they are"
                + " not on the same test set, so they cannot be compared image by image; evaluate both on the same test"
                + " split (the same --data and --limit-test)\n", counts.err());

        Path relabelled = tmp.resolve("relabelled.csv");
        Files.writeString(relabelled, Files.readString(a).replace("\n7,7,7,", "\n7,3,3,"));
        Cli.Outcome labels = Cli.vista("compare", a.toString(), relabelled.toString());
        assertEquals(1, labels.status(), labels::toString);
        assertTrue(labels.err().startsWith("vista compare: image 7 has label 7 in " + a + " but 3 in " + relabelled
                + ": they are not on the same test set"), labels::toString);
    }

    @Test
    void refusesBadInputWithASentence() throws IOException {
        Path a = predictions("a.csv", 20, i -> true);
        Cli.Outcome alone = Cli.vista("compare", a.toString());
        assertEquals(2, alone.status(), alone::toString);
        assertTrue(alone.err().contains("Give two runs to compare (vista compare A B), or one with --claim PERCENT."),
                alone::toString);

        Cli.Outcome fraction = Cli.vista("compare", a.toString(), "--claim", "749");
        assertEquals(2, fraction.status(), fraction::toString);

        Path broken = Files.writeString(tmp.resolve("broken.csv"), PredictionFile.HEADER + "\n0,1,1,0.9\n2,1,1,0.9\n");
        Cli.Outcome gap = Cli.vista("compare", a.toString(), broken.toString());
        assertEquals(1, gap.status(), gap::toString);
        assertTrue(gap.err().contains(broken + ", line 3 (2,1,1,0.9): expected image number 1"), gap::toString);

        Path folder = Files.createDirectories(tmp.resolve("not-a-run"));
        Cli.Outcome empty = Cli.vista("compare", a.toString(), folder.toString());
        assertEquals(1, empty.status(), empty::toString);
        assertTrue(empty.err().contains(folder + " is a folder without checkpoint.vckp"), empty::toString);
    }
}
