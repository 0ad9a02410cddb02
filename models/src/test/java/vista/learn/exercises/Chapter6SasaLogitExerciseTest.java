package vista.learn.exercises;

import org.junit.jupiter.api.Tag;

/** Checks the learner's {@link SasaLogitExercise}; run by {@code ./vista learn --check 6}. */
@Tag("exercise")
class Chapter6SasaLogitExerciseTest extends Chapter6SasaLogitChecks {
    @Override
    SasaLogit sasa() {
        return new SasaLogitExercise();
    }
}
