package vista.models.app.cluster;

/**
 * A collective operation could not complete: a worker left or stopped answering, a chunk failed
 * authentication, or the cluster could not form. The message is a sentence naming the worker and the
 * cause; the run stops on every worker that is still running.
 */
public final class ClusterFailure extends RuntimeException {
    public ClusterFailure(String message) {
        super(message);
    }

    public ClusterFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
