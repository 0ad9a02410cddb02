/**
 * Where a trained model came from, and whether it comes out again.
 *
 * <ul>
 *   <li>{@link vista.models.app.provenance.RunManifest}: {@code manifest.json}, documented key by key;
 *       {@link vista.models.app.provenance.ManifestParts}: what this process and run contribute to it;</li>
 *   <li>{@code ManifestRecorder} and {@code WeightDigests}: training observers that keep the manifest and
 *       the weights' fingerprints as a run goes; {@link vista.models.app.provenance.RunRecording} attaches
 *       them to a run;</li>
 *   <li>{@link vista.models.app.provenance.Replay}: trains a recorded run again, with
 *       {@link vista.models.app.provenance.ReplayComparison} comparing every step and epoch with the record;</li>
 *   <li>{@link vista.models.app.provenance.CheckpointProvenance}: what {@code vista verify} establishes
 *       about a checkpoint;</li>
 *   <li>{@link vista.models.app.provenance.WeightImport}: released weights made a Vista checkpoint that records
 *       their source file and its SHA-256 ({@code vista import}).</li>
 * </ul>
 * <b>Rule.</b> Provenance observes training ({@link vista.models.app.train.TrainingObserver}); it imports
 * {@code app.train}, never the reverse, so the training loop reads without it.
 */
package vista.models.app.provenance;
