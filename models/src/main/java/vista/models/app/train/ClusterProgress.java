package vista.models.app.train;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import vista.models.app.cluster.Collective;

/**
 * What {@code vista train --cluster} shows beside {@link TrainingProgress}: which worker this is, how the
 * shards are spread, and after each epoch the images per second of the whole cluster and the share of
 * the training time spent communicating.
 */
public final class ClusterProgress implements TrainingObserver {
    private final Progress display;
    private final Collective world;
    private final List<String> members;

    /** Shows {@code world}, whose members' addresses are {@code members} by rank, on {@code out}. */
    public ClusterProgress(PrintWriter out, Progress.Mode mode, Collective world, List<String> members) {
        this.display = new Progress(out, mode);
        this.world = world;
        this.members = List.copyOf(members);
    }

    @Override
    public boolean sessionStarted(Session s) {
        int shards = s.config().shards();
        display.line(String.format(Locale.ROOT, "Worker %d of %d (%s): shards %d to %d of %d in every batch of %d;"
                        + " %s.", world.rank(), world.worldSize(), String.join(", ", members),
                world.rank() * shards / world.worldSize(), (world.rank() + 1) * shards / world.worldSize() - 1, shards,
                s.config().batch(), world.rank() == 0 ? "this worker writes the run folder"
                        : "worker 0 writes the run folder"));
        return true;
    }

    @Override
    public void epochFinished(Epoch e) {
        display.line(String.format(Locale.ROOT, "epoch %d on %d workers: %.1f img/s for the cluster, %.0f%% of the"
                        + " training time communicating", e.epoch(), world.worldSize(), e.train().imagesPerSecond(),
                100 * e.train().communicationShare()));
    }
}
