package vista.models.app.provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.train.RunDirectory;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.checkpoint.StateDigest;

/**
 * What {@code vista verify} establishes about a checkpoint: that it is intact (reading it checks its
 * magic, format version and SHA-256 checksum), what it holds, and where it came from, by matching it
 * against its run's {@link RunManifest}.
 *
 * <p>The checkpoint matches its manifest when the manifest records the checkpoint's epoch with the same
 * last step and the same SHA-256 of the weights and of the optimiser state, so the manifest's account of
 * the run (config, seeds, data files, software, every step) is the account of this file.
 *
 * @param checkpoint      the file
 * @param bytes           its size
 * @param fileSha256      the SHA-256 of the whole file
 * @param config          its stored configuration (options and data facts)
 * @param epoch           epochs finished
 * @param step            optimiser steps taken
 * @param tensors         tensors in the model's state dict
 * @param values          values in the model's state dict
 * @param weightsSha256   the SHA-256 of the model's state dict ({@link StateDigest})
 * @param optimizerSha256 the SHA-256 of the optimiser's state
 * @param manifestFile    the run's manifest, or null if none was found
 * @param manifest        the manifest read from it, or null
 * @param mismatches      how the checkpoint disagrees with the manifest, as sentences; empty if it agrees
 */
public record CheckpointProvenance(Path checkpoint, long bytes, String fileSha256, Map<String, String> config,
                                   long epoch, long step, int tensors, long values, String weightsSha256,
                                   String optimizerSha256, Path manifestFile, RunManifest manifest,
                                   List<String> mismatches) {

    /**
     * Reads and verifies {@code checkpoint}, and compares it with {@code manifestFile} (null: the
     * {@code manifest.json} beside the checkpoint, if there is one).
     *
     * @throws IOException naming the file if the checkpoint is missing, corrupt or truncated, or the
     *     manifest cannot be read
     */
    public static CheckpointProvenance of(Path checkpoint, Path manifestFile) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new IOException(checkpoint + " does not exist; a run's checkpoint is OUT/" + RunDirectory.CHECKPOINT);
        }
        Checkpoint c = Checkpoint.read(checkpoint);
        Path beside = checkpoint.toAbsolutePath().resolveSibling(RunManifest.FILE);
        Path manifestPath = manifestFile != null ? manifestFile : Files.exists(beside) ? beside : null;
        RunManifest manifest = manifestPath == null ? null : RunManifest.read(manifestPath);
        String weights = StateDigest.sha256(c.model());
        String optimizer = StateDigest.sha256(c.optimizer());
        long values = c.model().values().stream().mapToLong(t -> t.numel()).sum();
        return new CheckpointProvenance(checkpoint, Files.size(checkpoint), Digests.file(checkpoint), c.config(),
                c.epoch(), c.step(), c.model().size(), values, weights, optimizer, manifestPath, manifest,
                manifest == null ? List.of() : mismatches(c, weights, optimizer, manifest, manifestPath));
    }

    private static List<String> mismatches(Checkpoint c, String weights, String optimizer, RunManifest manifest,
                                           Path manifestPath) {
        List<String> m = new ArrayList<>();
        EpochRecord record = manifest.epoch(Math.toIntExact(c.epoch()));
        if (record == null) {
            m.add(manifestPath + " has no record of epoch " + c.epoch() + ", the checkpoint's; they belong to"
                    + " different runs");
            return m;
        }
        if (record.lastStep() != c.step()) {
            m.add("the checkpoint is at step " + c.step() + ", " + manifestPath + " ends epoch " + c.epoch()
                    + " at step " + record.lastStep());
        }
        if (!record.weightsSha256().equals(weights)) {
            m.add("the checkpoint's weights have SHA-256 " + weights + ", " + manifestPath + " records "
                    + record.weightsSha256() + " after epoch " + c.epoch());
        }
        if (!record.optimizerSha256().equals(optimizer)) {
            m.add("the checkpoint's optimiser state has SHA-256 " + optimizer + ", " + manifestPath + " records "
                    + record.optimizerSha256() + " after epoch " + c.epoch());
        }
        return m;
    }

    /** True if a manifest was found and the checkpoint agrees with it. */
    public boolean matchesManifest() {
        return manifest != null && mismatches.isEmpty();
    }
}
