package vista.models.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import vista.models.app.cluster.HazelcastCollective;
import vista.models.app.cluster.MemberAddress;
import vista.models.app.cluster.TreeSum;

/**
 * {@code --cluster HOST:PORT,... --rank R [--cluster-key-file F]}: train as worker R of the listed
 * workers, one embedded Hazelcast member each ({@link HazelcastCollective}).
 */
final class ClusterOptions {
    /** How long a worker waits for all members to join. */
    static final Duration JOIN_PATIENCE = Duration.ofMinutes(5);
    /** How long a worker waits for a chunk from a worker that is still a member (longer than any step). */
    static final Duration CHUNK_PATIENCE = Duration.ofMinutes(10);

    @Option(names = "--cluster", paramLabel = "HOST:PORT,...",
            description = "Train on several processes, one per listed address (W = the list's length, a power of"
                    + " two); each computes --shards / W shards of every batch. Every worker gets the same list.")
    String cluster;

    @Option(names = "--rank", paramLabel = "R",
            description = "With --cluster: this process is worker R (from 0) and binds the R-th address; worker 0"
                    + " writes the run folder, the others write nothing.")
    Integer rank;

    @Option(names = "--cluster-key-file", paramLabel = "FILE",
            description = "With --cluster: a file of at least 16 secret bytes, the same on every worker; every"
                    + " exchanged chunk is authenticated with HMAC-SHA256 under it. Required unless every address is"
                    + " loopback.")
    Path keyFile;

    boolean isSet() {
        return cluster != null;
    }

    /** The listed addresses; call after {@link #problem()} found none. */
    List<MemberAddress> addresses() {
        return MemberAddress.parseList(cluster);
    }

    /** The problem with these options, as a sentence, or null if there is none. */
    String problem() {
        if (cluster == null) {
            return rank != null || keyFile != null ? "--rank and --cluster-key-file only apply with --cluster." : null;
        }
        List<MemberAddress> addresses;
        try {
            addresses = addresses();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!TreeSum.isPowerOfTwo(addresses.size())) {
            return "--cluster lists " + addresses.size() + " workers, but the fixed order of the gradient sums needs a"
                    + " power of two (1, 2, 4, 8, ...); list 2^k workers.";
        }
        if (rank == null || rank < 0 || rank >= addresses.size()) {
            return "--cluster needs --rank R, this worker's position in the list, from 0 to " + (addresses.size() - 1)
                    + (rank == null ? "." : "; got " + rank + ".");
        }
        if (keyFile == null && !addresses.stream().allMatch(MemberAddress::isLoopback)) {
            return "--cluster-key-file is required when a --cluster address is not loopback: Hazelcast Community"
                    + " encrypts nothing, so the chunks must be authenticated; write 32 random bytes to a file"
                    + " (head -c 32 /dev/urandom > vista.key) and give every worker a copy.";
        }
        return null;
    }

    /** The problem with {@code shards} for this cluster, as a sentence, or null if there is none. */
    String shardsProblem(int shards) {
        int w = addresses().size();
        return shards % w != 0 ? "--shards " + shards + " cannot be shared by the " + w + " workers of --cluster; use a"
                + " multiple of " + w + " (each worker computes --shards / " + w + " shards of every batch)." : null;
    }

    /** The key file's bytes, or null without a key file. */
    byte[] key() throws IOException {
        if (keyFile == null) {
            return null;
        }
        if (!Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("--cluster-key-file " + keyFile + " is not a file; write the key to a file first");
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length < HazelcastCollective.MIN_KEY_BYTES) {
            throw new IOException("--cluster-key-file " + keyFile + " holds " + key.length + " bytes, fewer than "
                    + HazelcastCollective.MIN_KEY_BYTES + ";"
                    + " write 32 random bytes to it (head -c 32 /dev/urandom > " + keyFile + ")");
        }
        return key;
    }

    HazelcastCollective join() throws IOException {
        return HazelcastCollective.join(addresses(), rank, key(), JOIN_PATIENCE, CHUNK_PATIENCE);
    }
}
