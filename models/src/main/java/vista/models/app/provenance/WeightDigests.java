package vista.models.app.provenance;

import vista.models.app.provenance.RunManifest.StepDigest;
import vista.models.app.train.TrainingObserver;
import vista.nn.checkpoint.StateDigest;

/**
 * The weights' fingerprints during an epoch: the SHA-256 of the model's state dict ({@link StateDigest})
 * after every {@code digest_every}-th optimiser step of the run, as the manifest's
 * {@link ManifestRecorder} schedules and records them.
 */
final class WeightDigests implements TrainingObserver {
    private final ManifestRecorder manifest;
    private String latest;

    WeightDigests(ManifestRecorder manifest) {
        this.manifest = manifest;
    }

    @Override
    public void stepFinished(Step step) {
        latest = step.step() % manifest.digestEvery() == 0 ? StateDigest.sha256(step.model()) : null;
        if (latest != null) {
            manifest.weightsDigested(new StepDigest(step.step(), latest));
        }
    }

    /** The weights' SHA-256 after the last step, if it was fingerprinted; else null. */
    String latest() {
        return latest;
    }
}
