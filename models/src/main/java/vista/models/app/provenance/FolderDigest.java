package vista.models.app.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import vista.models.app.provenance.RunManifest.DataFile;

/**
 * One fingerprint for a folder of many files (an image folder's split), so that a run on ImageNet records two
 * entries rather than 1.3 million. For the files f<sub>1</sub> ... f<sub>n</sub> in the order the data set
 * reads them, the folder's SHA-256 is that of the text
 * <pre>
 *   for each i:  relative_path(f_i) + '\0' + size(f_i) + '\0' + hex(SHA-256(f_i)) + '\n'
 * </pre>
 * (the relative path with '/' between names, the size in decimal), and its size is the sum of the files'
 * sizes. A renamed, added, removed, reordered or changed file changes it. The files' own digests are computed
 * in parallel: reading them is the cost, and the order of the text, not of the work, fixes the result.
 */
final class FolderDigest {
    private FolderDigest() {
    }

    /** The record of {@code folder}, made of {@code files} (each inside it, in reading order). */
    static DataFile of(Path folder, List<Path> files) throws IOException {
        String[] digests;
        try {
            digests = files.parallelStream().map(FolderDigest::fileDigest).toArray(String[]::new);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        MessageDigest sha = Digests.sha256();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long size = Files.size(file);
            bytes += size;
            String relative = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            sha.update((relative + '\0' + size + '\0' + digests[i] + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return new DataFile(folder.toAbsolutePath().toString(), bytes, HexFormat.of().formatHex(sha.digest()));
    }

    private static String fileDigest(Path file) {
        try {
            return Digests.file(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
