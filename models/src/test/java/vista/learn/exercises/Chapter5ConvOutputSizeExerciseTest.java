package vista.learn.exercises;

import org.junit.jupiter.api.Tag;

/** Checks the learner's {@link ConvOutputSizeExercise}; run by {@code ./vista learn --check 5}. */
@Tag("exercise")
class Chapter5ConvOutputSizeExerciseTest extends Chapter5ConvOutputSizeChecks {
    @Override
    ConvOutputSize conv() {
        return new ConvOutputSizeExercise();
    }
}
