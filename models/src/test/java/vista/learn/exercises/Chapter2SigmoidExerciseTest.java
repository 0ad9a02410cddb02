package vista.learn.exercises;

import org.junit.jupiter.api.Tag;
import vista.autograd.Function;

/** Checks the learner's {@link SigmoidExercise}; run by {@code ./vista learn --check 2}, skipped by {@code ./vista test}. */
@Tag("exercise")
class Chapter2SigmoidExerciseTest extends Chapter2SigmoidChecks {
    @Override
    Function sigmoid() {
        return new SigmoidExercise();
    }
}
