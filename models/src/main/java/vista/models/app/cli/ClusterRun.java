package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import vista.models.app.cluster.ClusterFailure;
import vista.models.app.cluster.Collective;
import vista.models.app.cluster.HazelcastCollective;
import vista.models.app.cluster.SessionStart;
import vista.models.app.provenance.RunManifest;
import vista.models.app.provenance.RunRecording;
import vista.models.app.train.ClusterProgress;
import vista.models.app.train.Progress;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.TrainConfig;
import vista.models.app.train.Trainer;
import vista.models.app.train.TrainingObserver;
import vista.models.app.train.TrainingProgress;
import vista.nn.checkpoint.Checkpoint;

/**
 * One worker's session of {@code vista train --cluster}: join the cluster, agree on what to run, train.
 *
 * <p>Worker 0 decides: it reads the checkpoint when resuming, and sends every worker the run's config
 * and that checkpoint ({@link SessionStart}), so the other workers need no copy of the run folder. Each
 * other worker checks that its own command line asks for the same run (the same options that shape the
 * result, and {@code --resume} alike); the workers gather their findings, and if any has a problem every
 * worker stops with the same sentences. Then all train ({@link Trainer} with the cluster's
 * {@link Collective}); worker 0 alone writes the run folder.
 *
 * <p>When the cluster fails (a worker lost, a chunk that fails authentication), every remaining worker
 * prints the cause and where the last checkpoint is, and exits with status 1; the run continues with
 * {@code --resume} on any number of workers, with the same bits.
 */
final class ClusterRun {
    private ClusterRun() {
    }

    /**
     * What a worker records and shows: worker 0 keeps the manifest ({@code --digest-every},
     * {@code --new-manifest}); every worker shows its progress in {@code mode} on {@code out}.
     */
    record Display(int digestEvery, boolean newManifest, Progress.Mode mode, PrintWriter out) {
        /** The observers of worker {@code world.rank()}, with the {@code workers} gathered from all. */
        TrainingObserver observers(Collective world, RunManifest.Cluster workers) {
            TrainingObserver progress = TrainingObserver.inOrder(new TrainingProgress(out, mode),
                    new ClusterProgress(out, mode, world, workers.members()));
            return world.rank() == 0
                    ? TrainingObserver.inOrder(RunRecording.observer(digestEvery, newManifest, workers), progress)
                    : progress;
        }
    }

    /**
     * Runs this worker's session; returns the exit status.
     *
     * @param changedOptions the options given on the command line that differ from a stored config, as
     *                       sentences
     * @param observers      the observers of this worker's session, for its collective and the workers
     *                       (addresses and software, gathered from all); {@link Display#observers}
     */
    static int train(ClusterOptions cluster, TrainConfig requested, boolean resume, Trainer.Settings settings,
                     BiFunction<TrainConfig, TrainConfig, List<String>> changedOptions,
                     BiFunction<Collective, RunManifest.Cluster, TrainingObserver> observers, PrintWriter out,
                     PrintWriter err) throws IOException {
        RunDirectory run = new RunDirectory(settings.out());
        try (HazelcastCollective world = cluster.join()) {
            int rank = world.rank();
            SessionStart start = SessionStart.decode(world.broadcast(rank == 0
                    ? workerZeroStart(run, requested, resume, changedOptions).encode() : new byte[0]));
            String mine = start.problem().isEmpty() && rank > 0 ? ownProblem(start, requested, resume, changedOptions)
                    : "";
            List<String> problems = new ArrayList<>();
            List<byte[]> all = world.allGather(mine.getBytes(StandardCharsets.UTF_8));
            if (!start.problem().isEmpty()) {
                problems.add("worker 0 cannot start: " + start.problem());
            }
            for (int r = 0; r < all.size(); r++) {
                if (all.get(r).length > 0) {
                    problems.add("worker " + r + ": " + new String(all.get(r), StandardCharsets.UTF_8));
                }
            }
            TrainConfig config = problems.isEmpty() ? TrainConfig.fromMap(start.config()) : null;
            String shards = config == null ? null : cluster.shardsProblem(config.shards());
            if (shards != null) {
                problems.add(shards);
            }
            if (!problems.isEmpty()) {
                // Leave together: a worker that left at once could take its problems with it while they are
                // in transit, and the others would report "left the cluster" instead of what is wrong.
                try {
                    world.barrier();
                } catch (ClusterFailure e) {
                    // another worker left anyway; this one knows every problem and reports them all the same
                }
                out.flush();
                problems.forEach(p -> err.println("vista train: " + p));
                err.flush();
                return 1;
            }
            List<String> software = new ArrayList<>();
            world.allGather(RunRecording.thisProcess().getBytes(StandardCharsets.UTF_8))
                    .forEach(b -> software.add(new String(b, StandardCharsets.UTF_8)));
            RunManifest.Cluster workers = new RunManifest.Cluster(world.worldSize(),
                    world.addresses().stream().map(Object::toString).toList(), software);
            TrainingObserver observer = observers.apply(world, workers);
            if (start.checkpoint() != null) {
                Trainer.resume(start.checkpoint(), settings, observer, world);
            } else {
                Trainer.start(config, settings, observer, world);
            }
            return 0;
        } catch (ClusterFailure e) {
            out.flush();
            err.println("vista train: worker " + cluster.rank + " stops: " + e.getMessage() + ". " + lastCheckpoint(run));
            err.flush();
            return 1;
        }
    }

    /** What worker 0 sends: the run to start or continue, or why it cannot. */
    private static SessionStart workerZeroStart(RunDirectory run, TrainConfig requested, boolean resume,
                                                BiFunction<TrainConfig, TrainConfig, List<String>> changedOptions) {
        if (!resume) {
            return new SessionStart("", false, requested.toMap(), null);
        }
        try {
            Checkpoint checkpoint = run.readCheckpoint();
            List<String> changed = changedOptions.apply(requested, TrainConfig.fromMap(checkpoint.config()));
            return changed.isEmpty() ? new SessionStart("", true, checkpoint.config(), checkpoint)
                    : SessionStart.failed(String.join(" ", changed));
        } catch (IOException | IllegalArgumentException e) {
            return SessionStart.failed(e.getMessage());
        }
    }

    /** How this worker's command line differs from the run worker 0 sent, as sentences; empty if it does not. */
    private static String ownProblem(SessionStart start, TrainConfig requested, boolean resume,
                                     BiFunction<TrainConfig, TrainConfig, List<String>> changedOptions) {
        if (start.resume() != resume) {
            return "worker 0 was started " + (start.resume() ? "with" : "without") + " --resume and this worker "
                    + (resume ? "with" : "without") + " it; start every worker alike.";
        }
        if (resume) {
            return String.join(" ", changedOptions.apply(requested, TrainConfig.fromMap(start.config())));
        }
        List<String> differ = new ArrayList<>();
        Map<String, String> theirs = start.config();
        requested.toMap().forEach((key, value) -> {
            if (!value.equals(theirs.get(key))) {
                differ.add("--" + key.replace('_', '-') + " is " + value + " here but " + theirs.get(key)
                        + " on worker 0;");
            }
        });
        return differ.isEmpty() ? "" : String.join(" ", differ) + " give every worker the same options.";
    }

    /** Where the run can be continued from, as a sentence for the message of a failed cluster. */
    private static String lastCheckpoint(RunDirectory run) {
        String resume = " When every worker is back, run the same commands with --resume (on any number of workers:"
                + " the bits are the same).";
        if (Files.isRegularFile(run.checkpoint())) {
            try {
                return "The last checkpoint, after epoch " + run.readCheckpoint().epoch() + ", is " + run.checkpoint()
                        + "." + resume;
            } catch (IOException e) {
                return "The checkpoint " + run.checkpoint() + " cannot be read (" + e.getMessage() + ")." + resume;
            }
        }
        return "Worker 0 keeps the last checkpoint, if an epoch finished, in its --out folder (" + run.root() + ")."
                + resume;
    }
}
