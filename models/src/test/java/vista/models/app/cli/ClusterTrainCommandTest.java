package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.cluster.LoopbackCluster;
import vista.models.app.cluster.MemberAddress;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.nn.checkpoint.StateDigest;

/**
 * {@code vista train --cluster}: W workers in this JVM, each a {@code vista train} on its own thread with
 * its own Hazelcast member on loopback, training resnet26-mini with --shards 4 on 32 striped 16x16 images
 * (2 steps of 16 per epoch, 2 epochs).
 */
class ClusterTrainCommandTest {
    @TempDir
    Path tmp;

    private List<String> run(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "resnet26-mini", "--data", data.toString(),
                "--epochs", "2", "--batch", "16", "--shards", "4", "--progress", "lines", "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** Runs worker r of {@code addresses} with {@code args(r)} on its own thread; returns each outcome, by rank. */
    private static List<Cli.Outcome> cluster(List<MemberAddress> addresses, java.util.function.IntFunction<List<String>> args)
            throws Exception {
        String list = addresses.stream().map(MemberAddress::toString).collect(Collectors.joining(","));
        ExecutorService threads = Executors.newFixedThreadPool(addresses.size());
        try {
            List<Future<Cli.Outcome>> workers = new ArrayList<>();
            for (int r = 0; r < addresses.size(); r++) {
                List<String> worker = new ArrayList<>(args.apply(r));
                worker.addAll(List.of("--cluster", list, "--rank", String.valueOf(r)));
                workers.add(threads.submit(() -> Cli.vista(worker.toArray(String[]::new))));
            }
            List<Cli.Outcome> outcomes = new ArrayList<>();
            for (Future<Cli.Outcome> w : workers) {
                outcomes.add(w.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    private static String weights(Path run) throws IOException {
        return StateDigest.sha256(new RunDirectory(run).readCheckpoint().model());
    }

    @Test
    void oneProcessAndOneTwoAndFourWorkersOnAnyThreadCountGiveTheSameBits() throws Exception {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 32, 8, 16);
        Cli.Outcome alone = Cli.vista(run(data, tmp.resolve("alone"), "--threads", "1").toArray(String[]::new));
        assertEquals(0, alone.status(), alone.toString());
        String expected = weights(tmp.resolve("alone"));

        List<Cli.Outcome> one = cluster(LoopbackCluster.addresses(1), r -> run(data, tmp.resolve("one"), "--threads",
                "2"));
        assertEquals(0, one.get(0).status(), one.get(0).toString());
        assertEquals(expected, weights(tmp.resolve("one")), "W = 1 on 2 threads");

        Path four = tmp.resolve("four");
        List<Cli.Outcome> first = cluster(LoopbackCluster.addresses(4), r -> run(data, r == 0 ? four
                : tmp.resolve("four-" + r), "--threads", "2", "--stop-after-epoch", "1"));
        for (Cli.Outcome o : first) {
            assertEquals(0, o.status(), o.toString());
        }
        for (int r = 1; r < 4; r++) {
            assertFalse(Files.exists(tmp.resolve("four-" + r)), "only worker 0 writes");
        }
        List<Cli.Outcome> second = cluster(LoopbackCluster.addresses(2), r -> run(data, r == 0 ? four
                : tmp.resolve("two-" + r), "--threads", "1", "--resume"));
        for (Cli.Outcome o : second) {
            assertEquals(0, o.status(), o.toString());
        }
        assertEquals(expected, weights(four), "epoch 1 on W = 4 (2 threads), resumed on W = 2 (1 thread)");
        List<String> metrics = Files.readAllLines(four.resolve(RunDirectory.METRICS));
        assertEquals(2, metrics.size());
        assertTrue(metrics.get(1).contains("\"communication_share\":"), metrics.get(1));
        JsonObject manifest = JsonParser.parseString(Files.readString(four.resolve(RunDirectory.MANIFEST)))
                .getAsJsonObject();
        JsonArray sessions = manifest.getAsJsonArray("sessions");
        assertEquals(4, sessions.get(0).getAsJsonObject().getAsJsonObject("cluster").get("world_size").getAsInt());
        JsonObject resumedOn = sessions.get(1).getAsJsonObject().getAsJsonObject("cluster");
        assertEquals(2, resumedOn.getAsJsonArray("workers").size(), "every worker's software");
        assertEquals(4, manifest.getAsJsonObject("config").get("shards").getAsInt());
        assertTrue(second.get(1).out().contains("Worker 1 of 2"), second.get(1).toString());
        assertTrue(second.get(0).out().contains("img/s for the cluster"), second.get(0).toString());
    }

    @Test
    void workersGivenDifferentOptionsAllStopNamingTheOption() throws Exception {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 32, 8, 16);
        List<Cli.Outcome> outcomes = cluster(LoopbackCluster.addresses(2), r -> run(data, tmp.resolve("w" + r), "--lr",
                r == 0 ? "0.1" : "0.2"));
        for (Cli.Outcome o : outcomes) {
            assertEquals(1, o.status(), o.toString());
            assertTrue(o.err().contains("worker 1: --lr is 0.2 here but 0.1 on worker 0"), o.toString());
        }
        assertFalse(Files.exists(tmp.resolve("w0").resolve(RunDirectory.CHECKPOINT)));
    }

    @Test
    void aClusterOfMachinesNeedsAKeyFileAndAPowerOfTwoWorkers() {
        Cli.Outcome noKey = Cli.vista("train", "--out", tmp.resolve("x").toString(), "--cluster",
                "10.1.2.3:5701,10.1.2.4:5701", "--rank", "0");
        assertEquals(2, noKey.status(), noKey.toString());
        assertTrue(noKey.err().contains("--cluster-key-file is required"), noKey.toString());
        Cli.Outcome three = Cli.vista("train", "--out", tmp.resolve("x").toString(), "--cluster",
                "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703", "--rank", "0");
        assertEquals(2, three.status(), three.toString());
        assertTrue(three.err().contains("power of two"), three.toString());
    }
}
