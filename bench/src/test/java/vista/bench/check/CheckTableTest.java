package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.bench.check.Figures.HERE;
import static vista.bench.check.Figures.figure;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckTableTest {
    @Test
    void flagsRegressionsAndNamesTheBaselineAndPyTorchsFasterSide() {
        List<Figure> history = List.of(figure(HERE, "2026-12-07T19:40Z", "abc1234", "conv3x3", 2, 1.0));
        Figure slower = new Figure("2026-12-08T08:00Z", "def5678", HERE, "conv3x3", 2, 50, 45, 40.0, 0.8, 0.01);
        Figure fresh = figure(HERE, "2026-12-08T08:00Z", "def5678", "resnet26-mini-step", 1, 0.7);
        String table = CheckTable.render(List.of(RegressionRule.judge(slower, history),
                RegressionRule.judge(fresh, history)));
        String[] lines = table.split("\n");
        assertTrue(lines[1].matches("conv3x3 +2 +50\\.0 +40\\.0 passive +0\\.80 +1\\.00 \\(2026-12-07T19:40Z, abc1234\\)"
                + " +-20\\.0% +REGRESSION"), lines[1]);
        assertTrue(lines[2].matches("resnet26-mini-step +1 +142\\.9 +100\\.0 +0\\.70 +none on this machine +-"),
                lines[2]);
        assertEquals(4, lines.length, table);
    }
}
