package vista.models.app.compare;

import vista.models.app.stats.ClaimTest;
import vista.models.app.stats.PairedProportions;
import vista.models.app.stats.Proportion;

/**
 * What {@code vista compare} establishes: each side's accuracy with its exact interval, and for two sides
 * on the same test images their paired table ({@link PairedProportions}: McNemar's exact test, the
 * difference B - A with Newcombe's interval); with a claim, each side's {@link ClaimTest}.
 *
 * @param a       the first side
 * @param b       the second side, or null when one run is tested against a claim only
 * @param pair    the paired table of a and b, or null without b
 * @param claimed the claimed accuracy as a fraction, or null
 */
public record Comparison(ComparedRun a, ComparedRun b, PairedProportions pair, Double claimed) {

    /**
     * Compares {@code a} with {@code b} (may be null) and tests {@code claimed} (a fraction, may be null).
     *
     * @throws IllegalArgumentException if a and b were not evaluated on the same test images: a different
     *     number of images, or another label for some image (the message names the first)
     */
    public static Comparison of(ComparedRun a, ComparedRun b, Double claimed) {
        return new Comparison(a, b, b == null ? null : pair(a, b), claimed);
    }

    /** The accuracy of {@code side}. */
    public static Proportion accuracy(ComparedRun side) {
        return new Proportion(side.correct(), side.size());
    }

    /** {@code side}'s test of the claim; requires a claim. */
    public ClaimTest claimTest(ComparedRun side) {
        return accuracy(side).test(claimed);
    }

    private static PairedProportions pair(ComparedRun a, ComparedRun b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a.name() + " has predictions for " + a.size() + " images but " + b.name()
                    + " for " + b.size() + ": they are not on the same test set, so they cannot be compared image by"
                    + " image; evaluate both on the same test split (the same --data and --limit-test)");
        }
        int[] labelsA = a.predictions().labels();
        int[] labelsB = b.predictions().labels();
        int bothRight = 0;
        int onlyA = 0;
        int onlyB = 0;
        int bothWrong = 0;
        for (int i = 0; i < a.size(); i++) {
            if (labelsA[i] != labelsB[i]) {
                throw new IllegalArgumentException("image " + i + " has label " + labelsA[i] + " in " + a.name()
                        + " but " + labelsB[i] + " in " + b.name() + ": they are not on the same test set (or not in"
                        + " the same order), so they cannot be compared image by image; evaluate both on the same"
                        + " test split");
            }
            boolean rightA = a.predictions().correct(i);
            boolean rightB = b.predictions().correct(i);
            if (rightA && rightB) {
                bothRight++;
            } else if (rightA) {
                onlyA++;
            } else if (rightB) {
                onlyB++;
            } else {
                bothWrong++;
            }
        }
        return new PairedProportions(bothRight, onlyA, onlyB, bothWrong);
    }
}
