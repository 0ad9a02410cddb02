package vista.models.app.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over every chunk the workers exchange, so that a chunk altered or injected on the network
 * (Hazelcast Community encrypts nothing) stops the run instead of changing the weights. The tag covers
 * the cluster's name, the operation's number, the phase, the chunk's index and count, the sender, the
 * receiver and the payload, so a chunk cannot be replayed into another operation or to another worker.
 *
 * <p>With {@code --cluster-key-file} the key is the file's bytes (at least {@link HazelcastCollective#MIN_KEY_BYTES}); without it (allowed only
 * when every member is on loopback) the key is derived from the cluster's name, which detects corruption
 * but authenticates nothing.
 *
 * <p>Not thread-safe: one worker's operations run on its training thread.
 */
final class ChunkSeal {
    private final String clusterName;
    private final Mac mac;

    ChunkSeal(String clusterName, byte[] key) {
        this.clusterName = clusterName;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform but is missing", e);
        }
    }

    /** The key that only detects corruption, for clusters on loopback without a key file. */
    static byte[] loopbackKey(String clusterName) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("vista loopback cluster " + clusterName).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
    }

    /** The tag of a chunk with these header fields and payload. */
    byte[] tag(long op, int phase, int piece, int pieces, int from, int to, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(Long.BYTES + 5 * Integer.BYTES);
        header.putLong(op).putInt(phase).putInt(piece).putInt(pieces).putInt(from).putInt(to);
        mac.update(clusterName.getBytes(StandardCharsets.UTF_8));
        mac.update(header.array());
        return mac.doFinal(payload);
    }

    /** True if {@code chunk}'s tag is the one this key gives (compared in constant time). */
    boolean verify(Chunk chunk) {
        byte[] expected = tag(chunk.op(), chunk.phase(), chunk.piece(), chunk.pieces(), chunk.from(), chunk.to(),
                chunk.payload());
        return MessageDigest.isEqual(expected, chunk.tag());
    }
}
