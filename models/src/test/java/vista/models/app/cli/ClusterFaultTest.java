package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
import vista.models.app.train.TrainConfig;
import vista.models.app.train.Trainer;
import vista.models.app.train.TrainingObserver;
import vista.nn.checkpoint.StateDigest;

/**
 * A worker of {@code vista train --cluster} is lost in the middle of epoch 2 of 2: the other stops within
 * the bound, names the lost worker and the last checkpoint, exits 1, and the run resumes on one process
 * with the bits of a run that never stopped.
 */
class ClusterFaultTest {
    @TempDir
    Path tmp;

    /** Thrown by the worker that is lost, after it left the cluster. */
    private static final class Lost extends RuntimeException {
        Lost() {
            super("lost on purpose");
        }
    }

    @Test
    void whenAWorkerIsLostTheOthersStopInTimeAndTheRunResumes() throws Exception {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 32, 8, 16);
        Path run = tmp.resolve("run");
        List<String> common = List.of("train", "--model", "resnet26-mini", "--data", data.toString(), "--epochs", "2",
                "--batch", "16", "--shards", "2", "--progress", "lines");
        Cli.Outcome alone = Cli.vista(concat(common, "--out", tmp.resolve("alone").toString()));
        assertEquals(0, alone.status(), alone.toString());

        List<MemberAddress> addresses = LoopbackCluster.addresses(2);
        String list = addresses.stream().map(MemberAddress::toString).collect(Collectors.joining(","));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Cli.Outcome> survivor = threads.submit(() -> Cli.vista(concat(common, "--out", run.toString(),
                    "--cluster", list, "--rank", "0")));
            Future<Long> lost = threads.submit(() -> loseWorkerOneInEpochTwo(list, tmp.resolve("w1")));
            long lostAt = lost.get(120, TimeUnit.SECONDS);
            Cli.Outcome stopped = survivor.get(120, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - lostAt) / 1_000_000_000L;
            assertEquals(1, stopped.status(), stopped.toString());
            assertTrue(seconds <= 30, "stopped " + seconds + " s after the loss");
            assertTrue(stopped.err().contains("worker 1 (" + addresses.get(1) + ") left the cluster"), stopped.toString());
            assertTrue(stopped.err().contains("The last checkpoint, after epoch 1, is " + run.resolve(RunDirectory.CHECKPOINT)),
                    stopped.toString());
        } finally {
            threads.shutdownNow();
        }
        Cli.Outcome resumed = Cli.vista("train", "--out", run.toString(), "--resume", "--progress", "lines");
        assertEquals(0, resumed.status(), resumed.toString());
        assertEquals(StateDigest.sha256(new RunDirectory(tmp.resolve("alone")).readCheckpoint().model()),
                StateDigest.sha256(new RunDirectory(run).readCheckpoint().model()));
    }

    /**
     * Worker 1, run by {@link ClusterRun} with the options of the run in "alone", until the first step of epoch
     * 2, where it leaves; returns when.
     */
    private long loseWorkerOneInEpochTwo(String list, Path out) throws Exception {
        long[] lostAt = new long[1];
        ClusterOptions options = new ClusterOptions();
        options.cluster = list;
        options.rank = 1;
        TrainConfig same = TrainConfig.fromMap(new RunDirectory(tmp.resolve("alone")).readCheckpoint().config());
        StringWriter printed = new StringWriter();
        try {
            ClusterRun.train(options, same, false, new Trainer.Settings(out, 0), (wanted, stored) -> List.of(),
                    (world, workers) -> new TrainingObserver() {
                        @Override
                        public void stepFinished(Step step) {
                            if (step.epoch() == 2) {
                                world.close();
                                lostAt[0] = System.nanoTime();
                                throw new Lost();
                            }
                        }
                    }, new PrintWriter(printed), new PrintWriter(printed));
        } catch (Lost expected) {
            return lostAt[0];
        }
        throw new AssertionError("worker 1 was never lost: " + printed);
    }

    private static String[] concat(List<String> first, String... more) {
        return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }
}
