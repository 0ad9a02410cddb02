package vista.models.app.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The collective operations over W processes, each embedding one Hazelcast member (Community edition:
 * no CP subsystem, no locks or latches; only membership events and the executor service).
 *
 * <p><b>Forming the cluster.</b> Worker r binds the r-th address of the member list (port auto-increment
 * off), joins by TCP/IP with the explicit list (multicast and auto-detection off) under a cluster name
 * derived from the list, and marks itself with its rank; it waits until all W members are there, each
 * rank once (members that started at the same moment and formed separate clusters merge within seconds). A member that is not one of the listed ranks stops the run.
 *
 * <p><b>Messages.</b> A worker sends a {@link Chunk} (at most {@value #CHUNK_BYTES} bytes of payload,
 * sealed with HMAC-SHA256 by {@link ChunkSeal}) by running a tiny task on the receiving member with
 * Hazelcast's executor service; the task drops it into that member's {@link Mailbox}. Every operation
 * has a number, the same on every worker, so chunks of different operations never mix.
 *
 * <p><b>All-reduce</b>, for a vector of n floats on each of W workers: the vector is cut into pieces of
 * min(2^20, ceil(n / W)) floats (so at least W pieces, of at most 4 MB); piece p belongs to worker
 * p mod W. Each worker sends every piece it does not own to its owner (reduce-scatter); the owner adds
 * the W contributions in the {@link TreeSum} order over ranks and sends the sum to every other worker
 * (all-gather). Each worker so sends and receives about 2 n (W - 1) / W floats per all-reduce: O(model
 * size), whatever W.
 *
 * <p><b>Failures.</b> Heartbeats every second; a member silent for {@value #NO_HEARTBEAT_SECONDS} s is
 * removed. When a member leaves or is removed, every wait for one of its chunks throws
 * {@link ClusterFailure} naming it (every operation but a broadcast waits for a chunk of every worker,
 * so each worker stops at its next operation). A worker that is a member but sends nothing for the patience given
 * (minutes: a step's compute time) is declared stuck. A chunk whose seal does not verify stops the run.
 */
public final class HazelcastCollective implements Collective {
    /** The largest payload of one chunk: 4 MB, below Hazelcast's advice of at most 5 to 10 MB per value. */
    public static final int CHUNK_BYTES = 4 << 20;
    /** The fewest bytes of a key accepted. */
    public static final int MIN_KEY_BYTES = 16;
    /** Seconds without a heartbeat after which Hazelcast removes a member. */
    static final int NO_HEARTBEAT_SECONDS = 15;
    private static final String RANK_ATTRIBUTE = "vista.rank";
    private static final String EXECUTOR = "vista-chunks";
    /** Hazelcast's own log: warnings and errors only (kept here so that the setting is not collected). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private final int rank;
    private final List<MemberAddress> addresses;
    private final HazelcastInstance member;
    private final Mailbox mailbox;
    private final ChunkSeal seal;
    private final long patienceNanos;
    private final Member[] members;
    private final IExecutorService executor;
    private long nextOp;
    private long communicationNanos;

    private HazelcastCollective(int rank, List<MemberAddress> addresses, HazelcastInstance member, Mailbox mailbox,
                                ChunkSeal seal, Duration patience, Member[] members) {
        this.rank = rank;
        this.addresses = addresses;
        this.member = member;
        this.mailbox = mailbox;
        this.seal = seal;
        this.patienceNanos = patience.toNanos();
        this.members = members;
        this.executor = member.getExecutorService(EXECUTOR);
    }

    /**
     * Starts this process's member as rank {@code rank} of {@code addresses} and waits for the others.
     *
     * @param key          the HMAC key (the key file's bytes), or null when every address is loopback
     * @param joinPatience how long to wait for all members
     * @param patience     how long to wait for one chunk from a worker that is still a member
     * @throws ClusterFailure if the address cannot be bound, or not all members joined in time
     */
    public static HazelcastCollective join(List<MemberAddress> addresses, int rank, byte[] key, Duration joinPatience,
                                           Duration patience) {
        if (rank < 0 || rank >= addresses.size()) {
            throw new IllegalArgumentException("--rank " + rank + " is not a position in the --cluster list of "
                    + addresses.size() + " members; use 0 to " + (addresses.size() - 1));
        }
        if (key == null && !addresses.stream().allMatch(MemberAddress::isLoopback)) {
            throw new IllegalArgumentException("--cluster-key-file is required when a member is not on loopback");
        }
        if (key != null && key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the cluster key has " + key.length + " bytes, fewer than "
                    + MIN_KEY_BYTES);
        }
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        String clusterName = clusterName(addresses);
        Mailbox mailbox = new Mailbox();
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(config(addresses, rank, clusterName, mailbox));
        } catch (HazelcastException | IllegalStateException e) {
            throw new ClusterFailure("worker " + rank + " could not start its cluster member on " + addresses.get(rank)
                    + " (" + e.getMessage() + "); check that the port is free and the address is this machine's", e);
        }
        try {
            Member[] members = awaitMembers(member, addresses, rank, mailbox, joinPatience);
            ChunkSeal seal = new ChunkSeal(clusterName, key != null ? key : ChunkSeal.loopbackKey(clusterName));
            return new HazelcastCollective(rank, addresses, member, mailbox, seal, patience, members);
        } catch (RuntimeException e) {
            member.getLifecycleService().terminate();
            throw e;
        }
    }

    /** The cluster name: "vista-" and 16 hex digits of the SHA-256 of the member list. */
    static String clusterName(List<MemberAddress> addresses) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(addresses.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return "vista-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
    }

    private static Config config(List<MemberAddress> addresses, int rank, String clusterName, Mailbox mailbox) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(clusterName + "-rank-" + rank);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(NO_HEARTBEAT_SECONDS));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getMetricsConfig().setEnabled(false);
        config.getExecutorConfig(EXECUTOR).setPoolSize(4);
        config.getMemberAttributeConfig().setAttribute(RANK_ATTRIBUTE, String.valueOf(rank));
        config.getUserContext().put(Mailbox.USER_CONTEXT_KEY, mailbox);
        NetworkConfig network = config.getNetworkConfig();
        MemberAddress own = addresses.get(rank);
        network.setPort(own.port()).setPortAutoIncrement(false).setPortCount(1);
        network.getInterfaces().setEnabled(true).addInterface(own.ip());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(addresses.stream().map(a -> a.ip() + ":" + a.port())
                .toList());
        return config;
    }

    /** Waits until every rank is a member; watches membership from then on. Returns the members by rank. */
    private static Member[] awaitMembers(HazelcastInstance member, List<MemberAddress> addresses, int rank,
                                         Mailbox mailbox, Duration patience) {
        int w = addresses.size();
        member.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                if (rankOf(event.getMember(), w) < 0) {
                    mailbox.fail("a member that is not one of the " + w + " listed workers joined the cluster ("
                            + event.getMember().getAddress() + "); the run stops");
                }
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                int lost = rankOf(event.getMember(), w);
                if (lost >= 0) {
                    mailbox.lose(lost, "worker " + lost + " (" + addresses.get(lost) + ") left the cluster or stopped"
                            + " answering");
                }
            }
        });
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Member[] byRank = new Member[w];
            List<String> strangers = new ArrayList<>();
            for (Member m : member.getCluster().getMembers()) {
                int r = rankOf(m, w);
                if (r < 0 || byRank[r] != null || m.getAddress().getPort() != addresses.get(r).port()) {
                    strangers.add(m.getAddress().toString());
                } else {
                    byRank[r] = m;
                }
            }
            if (!strangers.isEmpty()) {
                throw new ClusterFailure("worker " + rank + " found members that are not the listed workers ("
                        + String.join(", ", strangers) + "); give every worker the same --cluster list and its own"
                        + " --rank");
            }
            List<String> missing = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                if (byRank[r] == null) {
                    missing.add("worker " + r + " (" + addresses.get(r) + ")");
                }
            }
            if (missing.isEmpty()) {
                return byRank;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterFailure("worker " + rank + " waited " + patience.toSeconds() + " s, but "
                        + String.join(", ", missing) + " did not join; start every worker with the same --cluster list"
                        + " and check that the machines reach each other on these ports");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterFailure("interrupted while waiting for the cluster to form", e);
            }
        }
    }

    private static int rankOf(Member m, int w) {
        try {
            int r = Integer.parseInt(m.getAttribute(RANK_ATTRIBUTE));
            return r >= 0 && r < w ? r : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return members.length;
    }

    /** The listed addresses, by rank. */
    public List<MemberAddress> addresses() {
        return addresses;
    }

    @Override
    public float[][] allReduce(float[][] blockSum) {
        long start = System.nanoTime();
        long op = nextOp++;
        int w = worldSize();
        int n = 0;
        for (float[] a : blockSum) {
            n += a.length;
        }
        float[] flat = new float[n];
        for (int i = 0, at = 0; i < blockSum.length; at += blockSum[i].length, i++) {
            System.arraycopy(blockSum[i], 0, flat, at, blockSum[i].length);
        }
        int pieceLength = Math.max(1, Math.min(CHUNK_BYTES / Float.BYTES, (n + w - 1) / w));
        int pieces = (n + pieceLength - 1) / pieceLength;
        for (int p = 0; p < pieces; p++) {
            if (p % w != rank) {
                send(op, 0, p, pieces, p % w, bytes(flat, p * pieceLength, Math.min(n, (p + 1) * pieceLength)));
            }
        }
        float[] total = new float[n];
        for (int p = rank; p < pieces; p += w) {
            int from = p * pieceLength;
            int to = Math.min(n, (p + 1) * pieceLength);
            int piece = p;
            float[][] sum = TreeSum.of(w, r -> new float[][] {r == rank ? Arrays.copyOfRange(flat, from, to)
                    : floats(receive(op, 0, piece, r), to - from)});
            System.arraycopy(sum[0], 0, total, from, to - from);
            byte[] result = bytes(total, from, to);
            for (int r = 0; r < w; r++) {
                if (r != rank) {
                    send(op, 1, p, pieces, r, result);
                }
            }
        }
        for (int p = 0; p < pieces; p++) {
            if (p % w != rank) {
                int from = p * pieceLength;
                int to = Math.min(n, (p + 1) * pieceLength);
                System.arraycopy(floats(receive(op, 1, p, p % w), to - from), 0, total, from, to - from);
            }
        }
        float[][] out = new float[blockSum.length][];
        for (int i = 0, at = 0; i < blockSum.length; at += blockSum[i].length, i++) {
            out[i] = Arrays.copyOfRange(total, at, at + blockSum[i].length);
        }
        communicationNanos += System.nanoTime() - start;
        return out;
    }

    @Override
    public List<byte[]> allGather(byte[] mine) {
        long start = System.nanoTime();
        long op = nextOp++;
        for (int r = 0; r < worldSize(); r++) {
            if (r != rank) {
                sendMessage(op, r, mine);
            }
        }
        List<byte[]> all = new ArrayList<>();
        for (int r = 0; r < worldSize(); r++) {
            all.add(r == rank ? mine.clone() : receiveMessage(op, r));
        }
        communicationNanos += System.nanoTime() - start;
        return all;
    }

    @Override
    public byte[] broadcast(byte[] value) {
        long start = System.nanoTime();
        long op = nextOp++;
        byte[] result;
        if (rank == 0) {
            for (int r = 1; r < worldSize(); r++) {
                sendMessage(op, r, value);
            }
            result = value.clone();
        } else {
            result = receiveMessage(op, 0);
        }
        communicationNanos += System.nanoTime() - start;
        return result;
    }

    /**
     * Each worker sends an empty chunk to every other and waits for theirs, and for its own to be
     * delivered (or its receiver to be gone: a receiver leaves only once it has every chunk of the
     * barrier, or when it fails, which its next operation reports): when it returns, no chunk of this
     * worker is still on its way, so a worker may leave right after the last barrier of a run.
     */
    @Override
    public void barrier() {
        long start = System.nanoTime();
        long op = nextOp++;
        List<Future<Boolean>> delivered = new ArrayList<>();
        for (int r = 0; r < worldSize(); r++) {
            if (r != rank) {
                Chunk chunk = new Chunk(op, 0, 0, 1, rank, r, new byte[0], seal.tag(op, 0, 0, 1, rank, r, new byte[0]));
                try {
                    delivered.add(executor.submitToMember((Callable<Boolean>) new Chunk.Delivery(chunk), members[r]));
                } catch (RejectedExecutionException | HazelcastException | IllegalStateException e) {
                    throw sendFailed(r, e);
                }
            }
        }
        for (int r = 0; r < worldSize(); r++) {
            if (r != rank) {
                receive(op, 0, 0, r);
            }
        }
        for (int i = 0; i < delivered.size(); i++) {
            int to = i < rank ? i : i + 1;
            try {
                delivered.get(i).get(patienceNanos, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!receiverLeft(e) && mailbox.failure(to) == null) {
                    throw sendFailed(to, e);
                }
            } catch (TimeoutException e) {
                throw sendFailed(to, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterFailure("interrupted while waiting at a barrier", e);
            }
        }
        communicationNanos += System.nanoTime() - start;
    }

    /** True if {@code e} says that the receiver of a chunk left the cluster. */
    private static boolean receiverLeft(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MemberLeftException || t instanceof TargetNotMemberException) {
                return true;
            }
        }
        return false;
    }

    private ClusterFailure sendFailed(int to, Exception e) {
        String failure = mailbox.failure(to);
        return new ClusterFailure(failure != null ? failure : "worker " + rank + " could not deliver a chunk to worker "
                + to + " (" + addresses.get(to) + "): " + e.getMessage(), e);
    }

    @Override
    public long communicationNanos() {
        return communicationNanos;
    }

    /** Sends {@code bytes} to worker {@code to} as chunks of at most {@link #CHUNK_BYTES}. */
    private void sendMessage(long op, int to, byte[] bytes) {
        int pieces = Math.max(1, (bytes.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        for (int p = 0; p < pieces; p++) {
            send(op, 0, p, pieces, to, Arrays.copyOfRange(bytes, p * CHUNK_BYTES,
                    Math.min(bytes.length, (p + 1) * CHUNK_BYTES)));
        }
    }

    private byte[] receiveMessage(long op, int from) {
        Chunk first = receiveChunk(op, 0, 0, from);
        List<byte[]> parts = new ArrayList<>(List.of(first.payload()));
        long length = first.payload().length;
        for (int p = 1; p < first.pieces(); p++) {
            parts.add(receive(op, 0, p, from));
            length += parts.get(p).length;
        }
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(length));
        parts.forEach(all::put);
        return all.array();
    }

    private void send(long op, int phase, int piece, int pieces, int to, byte[] payload) {
        Chunk chunk = new Chunk(op, phase, piece, pieces, rank, to, payload,
                seal.tag(op, phase, piece, pieces, rank, to, payload));
        try {
            executor.executeOnMember(new Chunk.Delivery(chunk), members[to]);
        } catch (RejectedExecutionException | HazelcastException | IllegalStateException e) {
            throw sendFailed(to, e);
        }
    }

    private byte[] receive(long op, int phase, int piece, int from) {
        return receiveChunk(op, phase, piece, from).payload();
    }

    private Chunk receiveChunk(long op, int phase, int piece, int from) {
        Chunk chunk = mailbox.take(new Chunk.Key(op, phase, piece, from), patienceNanos);
        if (chunk.to() != rank || !seal.verify(chunk)) {
            String why = "a chunk from worker " + from + " (" + addresses.get(from) + ") failed authentication: its"
                    + " HMAC-SHA256 does not match this worker's key; give every worker the same --cluster-key-file";
            mailbox.fail(why);
            throw new ClusterFailure(why);
        }
        return chunk;
    }

    private static byte[] bytes(float[] values, int from, int to) {
        ByteBuffer out = ByteBuffer.allocate((to - from) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(values, from, to - from);
        return out.array();
    }

    private static float[] floats(byte[] bytes, int expected) {
        if (bytes.length != expected * Float.BYTES) {
            throw new ClusterFailure("a chunk held " + bytes.length + " bytes where " + expected * Float.BYTES
                    + " were expected; the workers run different models or vista versions");
        }
        float[] out = new float[expected];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public void close() {
        try {
            member.getLifecycleService().terminate();
        } catch (RuntimeException e) {
            // The member is already down; leaving has nothing more to do.
        }
    }
}
