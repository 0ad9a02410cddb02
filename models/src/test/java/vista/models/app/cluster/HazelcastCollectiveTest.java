package vista.models.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import vista.tensor.Rng;

/** The collective operations of {@link HazelcastCollective} among in-JVM members on loopback. */
class HazelcastCollectiveTest {
    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);

    /** Rank r's block: two arrays (one longer than a chunk) of values that round differently in any other order. */
    private static float[][] block(int rank) {
        Rng rng = new Rng(100 + rank);
        float[][] block = {new float[5], new float[HazelcastCollective.CHUNK_BYTES / Float.BYTES + 3]};
        for (float[] a : block) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(8) - 4));
            }
        }
        return block;
    }

    @Test
    void fourMembersReduceGatherAndBroadcastWithTheBitsOfOneProcess() throws Exception {
        List<Object> results = LoopbackCluster.run(Collections.nCopies(4, KEY), world -> {
            float[][] sum = world.allReduce(block(world.rank()));
            List<byte[]> gathered = world.allGather(new byte[] {(byte) world.rank()});
            byte[] big = new byte[HazelcastCollective.CHUNK_BYTES + 10];
            big[big.length - 1] = 42;
            byte[] broadcast = world.broadcast(world.rank() == 0 ? big : new byte[0]);
            world.barrier();
            return List.of(sum, gathered, broadcast);
        });
        float[][] expected = TreeSum.of(4, HazelcastCollectiveTest::block);
        for (Object result : results) {
            if (result instanceof Throwable t) {
                throw new AssertionError(t);
            }
            List<?> parts = (List<?>) result;
            float[][] sum = (float[][]) parts.get(0);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], sum[i], "the sum in the tree over ranks, bit for bit");
            }
            List<?> gathered = (List<?>) parts.get(1);
            for (int r = 0; r < 4; r++) {
                assertArrayEquals(new byte[] {(byte) r}, (byte[]) gathered.get(r));
            }
            byte[] broadcast = (byte[]) parts.get(2);
            assertEquals(HazelcastCollective.CHUNK_BYTES + 10, broadcast.length);
            assertEquals(42, broadcast[broadcast.length - 1]);
        }
    }

    @Test
    void aWorkerWithAnotherKeyStopsTheRun() throws IOException, InterruptedException {
        byte[] other = "another-key-of-16-bytes-or-more".getBytes(StandardCharsets.UTF_8);
        List<Object> results = LoopbackCluster.run(List.of(KEY, other), world -> world.allReduce(block(world.rank())));
        List<String> messages = new ArrayList<>();
        for (Object result : results) {
            assertInstanceOf(ClusterFailure.class, result, "no worker may use a chunk it cannot authenticate");
            messages.add(((ClusterFailure) result).getMessage());
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("failed authentication")), messages.toString());
    }

    @Test
    void theMembersOfOneListShareANameThatAnotherListDoesNot() throws IOException {
        List<MemberAddress> a = LoopbackCluster.addresses(2);
        assertEquals(HazelcastCollective.clusterName(a), HazelcastCollective.clusterName(List.copyOf(a)));
        assertTrue(!HazelcastCollective.clusterName(a).equals(HazelcastCollective.clusterName(a.subList(0, 1))));
    }
}
