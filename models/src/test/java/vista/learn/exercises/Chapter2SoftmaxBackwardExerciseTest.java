package vista.learn.exercises;

import org.junit.jupiter.api.Tag;

/** Checks the learner's {@link SoftmaxBackwardExercise}; run by {@code ./vista learn --check 2}. */
@Tag("exercise")
class Chapter2SoftmaxBackwardExerciseTest extends Chapter2SoftmaxBackwardChecks {
    @Override
    SoftmaxBackward softmaxBackward() {
        return new SoftmaxBackwardExercise();
    }
}
