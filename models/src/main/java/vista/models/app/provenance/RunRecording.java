package vista.models.app.provenance;

import vista.models.app.train.TrainingObserver;

/** The observers that record a training run's provenance in its {@code manifest.json} as it trains. */
public final class RunRecording {
    /** Steps between two fingerprints of the weights unless asked otherwise. */
    public static final int DEFAULT_DIGEST_EVERY = 10;

    private RunRecording() {
    }

    /**
     * Records the run in its {@link RunManifest} ({@link ManifestRecorder}), fingerprinting the weights
     * after every {@code digestEvery} optimiser steps ({@link WeightDigests}); a resumed run keeps the
     * value its manifest records. A resumed run whose manifest is missing is refused, unless
     * {@code newManifestOnResume} ({@code --new-manifest}) asks for a new, partial manifest.
     */
    public static TrainingObserver observer(int digestEvery, boolean newManifestOnResume) {
        return observer(digestEvery, newManifestOnResume, null);
    }

    /**
     * The same, for worker 0 of a {@code --cluster} session: each session in the manifest also records the
     * workers ({@code cluster}; null for one process).
     */
    public static TrainingObserver observer(int digestEvery, boolean newManifestOnResume, RunManifest.Cluster cluster) {
        ManifestRecorder recorder = new ManifestRecorder(digestEvery, newManifestOnResume, cluster);
        return TrainingObserver.inOrder(recorder, new WeightDigests(recorder));
    }

    /** This process's software and machine, as one line ({@link RunManifest.Session#summary()}). */
    public static String thisProcess() {
        return ManifestParts.thisSession(0).summary();
    }
}
