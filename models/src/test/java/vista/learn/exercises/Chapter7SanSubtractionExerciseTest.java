package vista.learn.exercises;

import org.junit.jupiter.api.Tag;

/** Checks the learner's {@link SanSubtractionExercise}; run by {@code ./vista learn --check 7}. */
@Tag("exercise")
class Chapter7SanSubtractionExerciseTest extends Chapter7SanSubtractionChecks {
    @Override
    SanSubtraction san() {
        return new SanSubtractionExercise();
    }
}
