package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.provenance.CheckpointProvenance;
import vista.models.app.provenance.RunManifest;
import vista.models.app.provenance.RunManifest.DataFile;
import vista.models.app.provenance.RunManifest.Session;
import vista.models.app.train.DataFacts;
import vista.models.app.train.TrainConfig;

/**
 * {@code vista verify}: checks a checkpoint's integrity and prints its provenance (see
 * {@link CheckpointProvenance}). Exit status 0 when the checkpoint is intact and agrees with its run's
 * manifest (or has none), 1 when it is missing, corrupt, at a position no run reaches, or disagrees with
 * the manifest (or the manifest with itself), 2 for invalid options. {@code --json} writes numbers,
 * booleans and lists of the stored configuration as such.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a checkpoint's integrity and print its provenance.",
            "Verifies the file's checksum, fingerprints its weights, and matches its epoch, step, weights, optimizer"
                + " state, whole stored configuration and seed against the run's manifest.json, whose digests must"
                + " all be well formed and agree with each other."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "The run's manifest (default: manifest.json beside the checkpoint, if any).")
    Path manifest;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CheckpointProvenance p;
        try {
            p = CheckpointProvenance.of(checkpoint, manifest);
        } catch (IOException | IllegalArgumentException e) {
            err.println("vista verify: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.print(json.enabled ? toJson(p) + "\n" : toText(p));
        out.flush();
        if (!p.mismatches().isEmpty()) {
            err.println("vista verify: the checkpoint disagrees with its manifest: " + String.join("; ",
                    p.mismatches()) + ".");
            err.flush();
            return 1;
        }
        return 0;
    }

    private static String toText(CheckpointProvenance p) {
        StringBuilder s = new StringBuilder();
        line(s, "checkpoint", p.checkpoint().toString());
        line(s, "integrity", "OK: magic, format version and SHA-256 checksum verified");
        line(s, "file", String.format(Locale.ROOT, "%,d bytes, SHA-256 %s", p.bytes(), p.fileSha256()));
        line(s, "run", p.config().get("model") + " on " + p.config().get("data") + ", epoch " + p.epoch() + " of "
                + p.config().get("epochs") + ", step " + p.step() + ", seed " + p.config().get("seed"));
        line(s, "weights", String.format(Locale.ROOT, "SHA-256 %s (%d tensors, %,d values)", p.weightsSha256(),
                p.tensors(), p.values()));
        line(s, "optimizer", "SHA-256 " + p.optimizerSha256());
        if (p.manifest() == null) {
            line(s, "manifest", "none found (runs of Vista before run manifests have none); provenance is the"
                    + " stored config alone");
            return s.toString();
        }
        RunManifest m = p.manifest();
        line(s, "manifest", p.manifestFile() + ": " + (p.matchesManifest()
                ? "MATCH, its record of epoch " + p.epoch() + " has these weights and optimizer state"
                : "MISMATCH, " + String.join("; ", p.mismatches())));
        for (int i = 0; i < m.sessions().size(); i++) {
            Session session = m.sessions().get(i);
            line(s, i == 0 ? "trained by" : "", "from epoch " + session.firstEpoch() + ", started "
                    + session.startedAt() + ": " + session.summary());
        }
        List<DataFile> files = m.data().files();
        for (int i = 0; i < files.size(); i++) {
            DataFile f = files.get(i);
            line(s, i == 0 ? "data" : "", String.format(Locale.ROOT, "%s (%,d bytes, SHA-256 %s)", f.path(),
                    f.bytes(), f.sha256()));
        }
        line(s, "initial", m.initialWeightsSha256() == null ? "weights not recorded"
                : "weights SHA-256 " + m.initialWeightsSha256());
        line(s, "replay", "vista replay " + p.manifestFile());
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String text) {
        s.append(String.format(Locale.ROOT, "%-11s %s%n", label.isEmpty() ? "" : label + ":", text));
    }

    private static String toJson(CheckpointProvenance p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("checkpoint", p.checkpoint().toString());
        j.put("intact", true);
        j.put("bytes", p.bytes());
        j.put("file_sha256", p.fileSha256());
        j.put("config", typed(p.config()));
        j.put("epoch", p.epoch());
        j.put("step", p.step());
        j.put("weights_sha256", p.weightsSha256());
        j.put("optimizer_sha256", p.optimizerSha256());
        j.put("manifest", p.manifestFile() == null ? null : p.manifestFile().toString());
        j.put("matches_manifest", p.manifest() == null ? null : p.matchesManifest());
        j.put("mismatches", p.mismatches());
        j.put("sessions", p.manifest() == null ? null : p.manifest().sessions());
        j.put("data_files", p.manifest() == null ? null : p.manifest().data().files());
        return RunManifest.json(j);
    }

    /**
     * The stored configuration with each value of the type {@code vista train} wrote it as (numbers,
     * booleans, lists, strings), read back through {@link TrainConfig} and {@link DataFacts}; the values of a
     * part neither can read stay strings, as stored.
     */
    private static Map<String, Object> typed(Map<String, String> stored) {
        Map<String, Object> typed = new LinkedHashMap<>(stored);
        try {
            TrainConfig.fromMap(stored).toJson().forEach(typed::replace);
        } catch (IllegalArgumentException e) {
            // An option is missing or unreadable: the options stay the strings stored.
        }
        try {
            DataFacts.fromMap(stored).toJson().forEach(typed::replace);
        } catch (IllegalArgumentException e) {
            // A data fact is missing or unreadable: the facts stay the strings stored.
        }
        return typed;
    }
}
