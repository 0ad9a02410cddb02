package vista.models.app.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of what a run reads, as 64 lowercase hex digits (weights: {@link vista.nn.checkpoint.StateDigest}). */
final class Digests {
    private Digests() {
    }

    /** The SHA-256 of the file's bytes, as stored (a gzipped file is hashed compressed). */
    static String file(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 of {@code values} written as little-endian int32, one after the other. */
    static String ints(int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return HexFormat.of().formatHex(sha256().digest(bytes.array()));
    }

    /** A new SHA-256 digest. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
    }
}
