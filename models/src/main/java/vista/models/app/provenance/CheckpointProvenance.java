package vista.models.app.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vista.models.app.provenance.RunManifest.EpochRecord;
import vista.models.app.train.RunDirectory;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.checkpoint.StateDigest;

/**
 * What {@code vista verify} establishes about a checkpoint: that it is intact (reading it checks its
 * magic, format version and SHA-256 checksum) and at a position a run can reach, what it holds, and where
 * it came from, by matching it against its run's {@link RunManifest}.
 *
 * <p>The checkpoint matches its manifest when the manifest is whole and agrees with itself
 * ({@link RunManifest#defects()}), records the checkpoint's whole stored configuration (options and data
 * facts) and seed, and records the checkpoint's epoch with the same last step and the same SHA-256 of the
 * weights and of the optimiser state; then the manifest's account of the run (config, seeds, data files,
 * software, every step) is the account of this file.
 *
 * @param checkpoint      the file (absolute)
 * @param bytes           its size
 * @param fileSha256      the SHA-256 of the whole file
 * @param config          its stored configuration (options and data facts)
 * @param epoch           epochs finished
 * @param step            optimiser steps taken
 * @param tensors         tensors in the model's state dict
 * @param values          values in the model's state dict
 * @param weightsSha256   the SHA-256 of the model's state dict ({@link StateDigest})
 * @param optimizerSha256 the SHA-256 of the optimiser's state
 * @param manifestFile    the run's manifest (absolute), or null if none was found
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
     * @throws IOException naming the file if the checkpoint is missing, a folder, JSON, corrupt, truncated or
     *     at a position no run reaches (an epoch below 1 or beyond its run's, fewer steps than epochs), or
     *     the manifest cannot be read
     */
    public static CheckpointProvenance of(Path checkpoint, Path manifestFile) throws IOException {
        Path file = checkpoint.toAbsolutePath();
        requireCheckpointFile(file);
        Checkpoint c = Checkpoint.read(file);
        Path beside = file.resolveSibling(RunManifest.FILE);
        Path manifestPath = manifestFile != null ? manifestFile.toAbsolutePath() : Files.exists(beside) ? beside : null;
        RunManifest manifest = manifestPath == null ? null : RunManifest.read(manifestPath);
        String impossible = impossiblePosition(c, manifest, manifestPath);
        if (impossible != null) {
            throw new IOException(file + " is not a valid checkpoint: " + impossible + "; vista train never writes"
                    + " such a file, so it cannot be verified");
        }
        String weights = StateDigest.sha256(c.model());
        String optimizer = StateDigest.sha256(c.optimizer());
        long values = c.model().values().stream().mapToLong(t -> t.numel()).sum();
        return new CheckpointProvenance(file, Files.size(file), Digests.file(file), c.config(), c.epoch(), c.step(),
                c.model().size(), values, weights, optimizer, manifestPath, manifest,
                manifest == null ? List.of() : mismatches(c, weights, optimizer, manifest, manifestPath));
    }

    /** Refuses a path that is not a checkpoint file, saying what it is and what to give instead. */
    private static void requireCheckpointFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            Path inside = file.resolve(RunDirectory.CHECKPOINT);
            throw new IOException(file + " is a folder, not a checkpoint; " + (Files.isRegularFile(inside)
                    ? "give the checkpoint in it: " + inside : "it holds no " + RunDirectory.CHECKPOINT
                    + " (a run writes it into its --out folder after its first epoch)"));
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist; a run's checkpoint is OUT/" + RunDirectory.CHECKPOINT);
        }
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(16), StandardCharsets.ISO_8859_1).strip();
            if (head.startsWith("{")) {
                throw new IOException(file + " is a JSON file, not a checkpoint; give the run's "
                        + file.resolveSibling(RunDirectory.CHECKPOINT) + " (and its manifest with --manifest, if it"
                        + " is elsewhere)");
            }
        }
    }

    /**
     * Why the checkpoint's position is one no run reaches, as a phrase; null if a run can reach it. A run
     * writes its checkpoint after an epoch from 1 to its config's {@code epochs}, and every epoch takes at
     * least one step.
     */
    private static String impossiblePosition(Checkpoint c, RunManifest manifest, Path manifestPath) {
        if (c.epoch() < 1) {
            return "its stored epoch is " + c.epoch() + ", but a run writes its first checkpoint after epoch 1";
        }
        Long planned = whole(c.config().get("epochs"));
        if (planned != null && c.epoch() > planned) {
            return "its stored epoch is " + c.epoch() + ", beyond the " + planned + " epochs its stored configuration"
                    + " plans";
        }
        Long recorded = manifest == null ? null : whole(ManifestParts.strings(manifest.config()).get("epochs"));
        if (recorded != null && c.epoch() > recorded) {
            return "its stored epoch is " + c.epoch() + ", beyond the " + recorded + " epochs of the run "
                    + manifestPath + " records";
        }
        if (c.step() < c.epoch()) {
            return "its stored step is " + c.step() + ", fewer than its " + c.epoch() + " epochs (every epoch takes"
                    + " at least one step)";
        }
        return null;
    }

    /** {@code text} as a whole number ({@code 2}, {@code 2.0}); null if it is none. */
    private static Long whole(String text) {
        try {
            return text == null ? null : new BigDecimal(text).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static List<String> mismatches(Checkpoint c, String weights, String optimizer, RunManifest manifest,
                                           Path manifestPath) {
        List<String> m = new ArrayList<>();
        EpochRecord record = manifest.epoch(c.epoch());
        if (record == null) {
            m.add(manifestPath + " has no record of epoch " + c.epoch() + ", the checkpoint's; they belong to"
                    + " different runs");
        } else {
            if (record.lastStep() != c.step()) {
                m.add("the checkpoint is at step " + c.step() + ", " + manifestPath + " ends epoch " + c.epoch()
                        + " at step " + record.lastStep());
            }
            if (!Objects.equals(record.weightsSha256(), weights)) {
                m.add("the checkpoint's weights have SHA-256 " + weights + ", " + manifestPath + " records "
                        + record.weightsSha256() + " after epoch " + c.epoch());
            }
            if (!Objects.equals(record.optimizerSha256(), optimizer)) {
                m.add("the checkpoint's optimiser state has SHA-256 " + optimizer + ", " + manifestPath + " records "
                        + record.optimizerSha256() + " after epoch " + c.epoch());
            }
        }
        Map<String, String> recordedConfig = new LinkedHashMap<>(ManifestParts.strings(manifest.config()));
        recordedConfig.putAll(ManifestParts.strings(manifest.data().facts()));
        m.addAll(ManifestParts.differentEntries("", recordedConfig, c.config(), "the checkpoint's stored configuration",
                manifestPath + " (config and data.facts)"));
        Map<String, String> rng = new LinkedHashMap<>();
        c.rng().forEach((name, value) -> rng.put(name, String.valueOf(value)));
        m.addAll(ManifestParts.differentEntries("", Map.of("seed", String.valueOf(manifest.seeds().seed())), rng,
                "the checkpoint's random state", manifestPath + " (seeds.seed)"));
        manifest.defects().forEach(d -> m.add(manifestPath + " is damaged or contradicts itself: " + d));
        return m;
    }

    /** True if a manifest was found and the checkpoint agrees with it. */
    public boolean matchesManifest() {
        return manifest != null && mismatches.isEmpty();
    }
}
