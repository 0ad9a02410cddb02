package vista.models.app.cli;

import picocli.CommandLine.Option;
import vista.tensor.runtime.Parallel;

/** {@code --threads T}, the kernels' thread count: one declaration for every command that computes. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T",
            description = "Kernel threads (default: all processors); never changes the results.")
    Integer threads;

    /** The problem with the value given, as a sentence; null if there is none. */
    String problem() {
        return threads != null && threads < 1 ? "--threads must be at least 1, got " + threads + "." : null;
    }

    /** Sets the kernels' thread count, if the option was given and {@link #problem()} found nothing wrong. */
    void apply() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }
}
