package vista.models.app.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import vista.models.app.cluster.Collective;
import vista.nn.Module;
import vista.nn.checkpoint.StateDigest;

/**
 * The check every worker of a cluster makes before its first step: that all W workers read the same
 * data and hold the same weights. Each worker describes its data files (their names in order, sizes and
 * SHA-256) and its model's state digest; the descriptions are gathered ({@link Collective#allGather}) and
 * compared with rank 0's on every worker, so that all stop together, with the same sentence, naming the
 * first worker and file that differ.
 */
final class ClusterTraining {
    private ClusterTraining() {
    }

    /**
     * Throws on every worker if any worker's data files or weights differ from rank 0's; does nothing for
     * one worker.
     *
     * @throws IllegalStateException naming the worker and the file (or the weights) that differ
     */
    static void requireSameStart(Collective world, TrainingData data, Module model) throws IOException {
        if (world.worldSize() == 1) {
            return;
        }
        List<String> mine = new ArrayList<>();
        for (Path file : data.files()) {
            mine.add("data file " + file.getFileName() + " (" + Files.size(file) + " bytes, SHA-256 " + sha256(file)
                    + ")");
        }
        mine.add("initial weights (SHA-256 " + StateDigest.sha256(model) + ")");
        List<byte[]> all = world.allGather(String.join("\n", mine).getBytes(StandardCharsets.UTF_8));
        List<String> reference = lines(all.get(0));
        for (int rank = 1; rank < all.size(); rank++) {
            List<String> theirs = lines(all.get(rank));
            for (int i = 0; i < Math.max(reference.size(), theirs.size()); i++) {
                String expected = i < reference.size() ? reference.get(i) : "nothing";
                String got = i < theirs.size() ? theirs.get(i) : "nothing";
                if (!expected.equals(got)) {
                    throw new IllegalStateException("worker " + rank + " does not start from what worker 0 has: its "
                            + got + " differs from worker 0's " + expected + "; give every worker the same data files"
                            + " (and the same vista version), then start the run again");
                }
            }
        }
    }

    private static List<String> lines(byte[] text) {
        return List.of(new String(text, StandardCharsets.UTF_8).split("\n"));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
