package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vista.models.app.cli.Cli.Outcome;

/** {@code vista audit} on one model at a time (PaperAuditTest audits all fifteen). */
class AuditCommandTest {
    /** Runs {@code vista audit args...}. */
    private static Outcome audit(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "audit";
        System.arraycopy(args, 0, command, 1, args.length);
        return Cli.vista(command);
    }

    @Test
    void printsTheConventionsAndTheModelsRowsAndExplanations() {
        Outcome result = audit("--model", "resnet38");
        assertEquals(0, result.status(), result.err());
        String text = result.out();
        assertTrue(text.contains("SASA's Table 1: FLOPs = 2 x multiply-adds."), text);
        assertTrue(text.contains("\nSASA (Ramachandran et al. 2019), Table 1\nmodel "), text);
        assertTrue(text.matches("(?s).*\\nresnet38 +parameters +19,626,792 +19\\.6 M +19\\.6 M +\\+26,792 +\\+0\\.14% "
                + "+matches\\n +FLOPs = 2 x MACs +6,431,440,896 +6\\.4 G +6\\.5 G +-68,559,104 +-1\\.05% +differs \\[1]\\n.*"),
                text);
        assertTrue(text.contains("\n[1] Cause unknown: the paper does not state how it counts FLOPs"), text);
    }

    @Test
    void jsonParsesAndHasTheKeys() {
        Outcome result = audit("--json", "--model", "sasa-resnet26");
        assertEquals(0, result.status(), result.err());
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        assertEquals(Set.of("image", "classes", "conventions", "models"), json.keySet());
        JsonObject model = json.getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals("sasa-resnet26", model.get("model").getAsString());
        assertEquals("SASA (Ramachandran et al. 2019), Table 1", model.get("paper").getAsString());
        JsonObject cost = model.getAsJsonObject("cost");
        assertEquals("FLOPs, paper's count", cost.get("quantity").getAsString());
        assertEquals(4_484_311_040L, cost.get("ours").getAsLong());
        assertEquals(4_500_000_000L, cost.get("published").getAsLong());
        assertEquals("matches", cost.get("verdict").getAsString());
        assertTrue(cost.get("explanation").isJsonNull());
        JsonObject vistaCount = model.getAsJsonObject("cost_vista_count");
        assertEquals(4_387_371_008L, vistaCount.get("ours").getAsLong());
        assertEquals("differs", vistaCount.get("verdict").getAsString());
        assertTrue(vistaCount.get("explanation").getAsString().startsWith("A difference of convention"));
    }

    @Test
    void aModelNoPaperCoversIsASentenceNamingTheChoices() {
        Outcome result = audit("--model", "resnet26-small");
        assertEquals(2, result.status());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("vista audit: the papers give no figures for --model resnet26-small; choose "
                + "one of resnet26, resnet38, resnet50, sasa-resnet26, "), result.err());
        assertTrue(result.err().contains("san19-patchwise."), result.err());
    }
}
