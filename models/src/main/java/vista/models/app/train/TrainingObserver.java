package vista.models.app.train;

import vista.models.app.provenance.RunManifest;

/**
 * Watches a training run as {@link Trainer} records it in the run's manifest: {@code vista replay} uses
 * one to compare a re-run with the record, step by step.
 */
public interface TrainingObserver {
    /** Watches nothing and never stops a run. */
    TrainingObserver NONE = new TrainingObserver() { };

    /**
     * Before the session's first step, with the manifest as just written (for a new run: the config,
     * seeds, data files and initial weights); false stops the run before it takes a step.
     */
    default boolean started(RunManifest manifest) {
        return true;
    }

    /**
     * After optimiser step {@code step} (counted from 1 over the run), with its training loss and, if the
     * run fingerprints this step ({@link RunManifest#digestEvery()}), the weights' SHA-256 after it (else null).
     */
    default void stepped(long step, double loss, String weightsSha256) {
    }

    /** After an epoch, with its record as the manifest stores it; false stops the run after this epoch. */
    default boolean epochEnded(RunManifest.EpochRecord epoch) {
        return true;
    }
}
