package vista.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The schedules at known points. */
class LearningRateScheduleTest {

    @Test
    void cosineWithoutWarmupFallsFromBaseToZero() {
        CosineSchedule s = new CosineSchedule(0.1, 100);
        assertEquals(0.1, s.learningRate(0), 1e-15);
        assertEquals(0.05, s.learningRate(50), 1e-15);
        assertEquals(0.1 * (1 + Math.cos(Math.PI / 4)) / 2, s.learningRate(25), 1e-15);
        assertEquals(0, s.learningRate(100), 0);
        assertEquals(0, s.learningRate(1000), 0);
    }

    @Test
    void linearWarmupThenCosineToTheMinimum() {
        CosineSchedule s = new CosineSchedule(0.4, 10, 110, 0, 0.004);
        assertEquals(0, s.learningRate(0), 0);
        assertEquals(0.2, s.learningRate(5), 1e-15);
        assertEquals(0.4, s.learningRate(10), 1e-15);
        assertEquals(0.004 + 0.396 / 2, s.learningRate(60), 1e-15);
        assertEquals(0.004, s.learningRate(110), 0);
        CosineSchedule fromFactor = new CosineSchedule(1, 4, 10, 0.25, 0);
        assertEquals(0.25, fromFactor.learningRate(0), 1e-15);
        assertEquals(0.625, fromFactor.learningRate(2), 1e-15);
    }

    @Test
    void stepMultipliesByGammaEveryStepSize() {
        StepSchedule s = new StepSchedule(0.1, 30, 0.1);
        assertEquals(0.1, s.learningRate(0), 0);
        assertEquals(0.1, s.learningRate(29), 0);
        assertEquals(0.01, s.learningRate(30), 1e-17);
        assertEquals(0.001, s.learningRate(89), 1e-18);
        assertEquals(0.0001, s.learningRate(90), 1e-19);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 10, 10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 0, 10, 0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new StepSchedule(0.1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new StepSchedule(0.1, 5, 0.1).learningRate(-1));
    }
}
