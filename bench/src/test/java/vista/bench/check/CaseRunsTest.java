package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaseRunsTest {
    @Test
    void aFigureIsTheMedianOverRoundsAndTheRatioUsesPyTorchsFasterSide() {
        CaseRuns runs = new CaseRuns(BenchCase.SASA_RESNET26_MINI_STEP, 2);
        runs.vistaMs.addAll(List.of(300.0, 200.0, 250.0));
        runs.torchMs.addAll(List.of(900.0, 500.0, 700.0));
        runs.torchPassiveMs.addAll(List.of(600.0, 400.0, 500.0));
        Figure f = runs.figure("2026-12-07T19:40Z", "abc1234", Figures.HERE, 2);
        assertEquals(250.0, f.vistaMs());
        assertEquals(700.0, f.torchMs());
        assertEquals(500.0, f.torchPassiveMs());
        assertEquals(2.0, f.ratio(), 1e-12);
        assertEquals("sasa-resnet26-mini-step", f.benchCase());
        assertNull(f.load(), "no load was sampled");
    }

    @Test
    void withoutAPassiveRunTheDefaultOneCounts() {
        CaseRuns runs = new CaseRuns(BenchCase.RESNET26_MINI_STEP, 1);
        runs.vistaMs.add(400.0);
        runs.torchMs.add(272.0);
        Figure f = runs.figure("2026-12-07T19:40Z", "abc1234", Figures.HERE, 2);
        assertNull(f.torchPassiveMs());
        assertEquals(0.68, f.ratio(), 1e-12);
    }

    @Test
    void quartilesInterpolateBetweenRanksAsNumpyDoes() {
        Quartiles q = Quartiles.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertEquals(new Quartiles(1.75, 2.5, 3.25), q);
        assertEquals(1.5, q.range());
        assertEquals(new Quartiles(7.0, 7.0, 7.0), Quartiles.of(List.of(7.0)));
    }
}
