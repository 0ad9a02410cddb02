package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.bench.check.Figures.ELSEWHERE;
import static vista.bench.check.Figures.HERE;
import static vista.bench.check.Figures.figure;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionRuleTest {
    /** Two machines; on this one the latest resnet26-mini-step figure at 1 thread has ratio 0.50. */
    private static final Figure OLDER_HERE = figure(HERE, "2026-12-01T10:00Z", "aaaaaaa", 0.90);
    private static final Figure LATEST_HERE = figure(HERE, "2026-12-07T19:40Z", "bbbbbbb", 0.50);
    private static final Figure LATEST_ELSEWHERE = figure(ELSEWHERE, "2026-12-08T08:00Z", "ccccccc", 1.00);
    private static final List<Figure> HISTORY = List.of(OLDER_HERE, LATEST_HERE, LATEST_ELSEWHERE,
            figure(HERE, "2026-12-09T08:00Z", "ddddddd", "resnet26-mini-step", 2, 0.70),
            figure(HERE, "2026-12-09T08:00Z", "ddddddd", "conv3x3", 1, 0.80));

    @Test
    void aRatioSixteenPercentWorseIsARegression() {
        RegressionRule.Verdict v = RegressionRule.judge(figure(HERE, "2026-12-10T08:00Z", "eeeeeee", 0.50 * 0.84),
                HISTORY);
        assertTrue(v.regression());
        assertEquals(-16.0, v.changePercent(), 1e-9);
    }

    @Test
    void aRatioFourteenPercentWorseIsNot() {
        RegressionRule.Verdict v = RegressionRule.judge(figure(HERE, "2026-12-10T08:00Z", "eeeeeee", 0.50 * 0.86),
                HISTORY);
        assertFalse(v.regression());
        assertEquals(-14.0, v.changePercent(), 1e-9);
    }

    @Test
    void onlyFiguresOfTheSameMachineCount() {
        // 0.45 is 55% below the other machine's later 1.00, but only 10% below this machine's 0.50.
        RegressionRule.Verdict here = RegressionRule.judge(figure(HERE, "2026-12-10T08:00Z", "e", 0.45), HISTORY);
        assertSame(LATEST_HERE, here.baseline());
        assertFalse(here.regression());
        // The same ratio measured elsewhere is judged against that machine's 1.00.
        RegressionRule.Verdict there = RegressionRule.judge(figure(ELSEWHERE, "2026-12-10T08:00Z", "e", 0.45),
                HISTORY);
        assertSame(LATEST_ELSEWHERE, there.baseline());
        assertTrue(there.regression());
    }

    @Test
    void aDifferentPyTorchOrJdkIsAnotherMachine() {
        Machine newerTorch = HERE.withTorch("2.14.0+cpu");
        Machine newerJdk = new Machine(HERE.cpu(), HERE.cores(), HERE.vectorBits(), "26", HERE.torch());
        assertNull(RegressionRule.judge(figure(newerTorch, "2026-12-10T08:00Z", "e", 0.1), HISTORY).baseline());
        assertNull(RegressionRule.judge(figure(newerJdk, "2026-12-10T08:00Z", "e", 0.1), HISTORY).baseline());
    }

    @Test
    void theLatestRecordOfTheCaseAndThreadsIsTheBaseline() {
        // Against the older 0.90, 0.60 would be a regression; the latest record, 0.50, is the baseline.
        RegressionRule.Verdict v = RegressionRule.judge(figure(HERE, "2026-12-10T08:00Z", "e", 0.60), HISTORY);
        assertSame(LATEST_HERE, v.baseline());
        assertFalse(v.regression());
        // Order in the file does not matter, the date does; of equal dates the later line wins.
        List<Figure> shuffled = List.of(LATEST_HERE, OLDER_HERE);
        assertSame(LATEST_HERE, History.baseline(shuffled, HERE, "resnet26-mini-step", 1).orElseThrow());
        Figure sameMinute = figure(HERE, LATEST_HERE.date(), "fffffff", 0.40);
        assertSame(sameMinute, History.baseline(List.of(LATEST_HERE, sameMinute), HERE, "resnet26-mini-step", 1)
                .orElseThrow());
    }

    @Test
    void eachThreadCountAndCaseHasItsOwnBaseline() {
        RegressionRule.Verdict twoThreads = RegressionRule.judge(
                figure(HERE, "2026-12-10T08:00Z", "e", "resnet26-mini-step", 2, 0.58), HISTORY);
        assertEquals(0.70, twoThreads.baseline().ratio());
        assertTrue(twoThreads.regression());
        RegressionRule.Verdict conv = RegressionRule.judge(
                figure(HERE, "2026-12-10T08:00Z", "e", "conv3x3", 2, 0.10), HISTORY);
        assertNull(conv.baseline());
        assertNull(conv.changePercent());
        assertFalse(conv.regression());
    }
}
