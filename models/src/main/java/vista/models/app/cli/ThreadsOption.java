package vista.models.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vista.tensor.runtime.Parallel;

/**
 * {@code --threads T}, the kernels' thread count: one declaration for every command that computes. More
 * threads than processors are allowed, with a warning: the results are the same bits for any count, so
 * it costs time only.
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T",
            description = "Kernel threads (default: all processors); never changes the results.")
    Integer threads;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The problem with the value given, as a sentence; null if there is none. */
    String problem() {
        return threads != null && threads < 1 ? "--threads must be at least 1, got " + threads + "." : null;
    }

    /**
     * Why the value given is wasteful (more threads than processors), as a sentence; null if it is not or
     * if none was given.
     */
    String warning() {
        int processors = Runtime.getRuntime().availableProcessors();
        return threads != null && threads > processors ? "--threads " + threads + " is more than the " + processors
                + " processors Java sees here; the results are the same bits, but the threads beyond " + processors
                + " only wait for one another (leave --threads out to use all " + processors + ")." : null;
    }

    /**
     * Sets the kernels' thread count, if the option was given and {@link #problem()} found nothing wrong,
     * first printing the {@link #warning()} as {@code vista COMMAND: warning: ...} on the command's error
     * stream.
     */
    void apply() {
        String warning = warning();
        if (warning != null) {
            PrintWriter err = command.commandLine().getErr();
            err.println("vista " + command.name() + ": warning: " + warning);
            err.flush();
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }
}
