package vista.models.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link TrainingProbe} running in a fresh JVM, started at once so that several run side by side: the
 * JVM gets this one's class path, the Vector API module and the given system properties
 * ({@code "vista.vector.bits=128"}, ...), and the probe an optional thread count.
 */
final class ProbeJvm {
    /** How long a probe may take; it needs a few seconds alone, more beside other JVMs on two cores. */
    private static final long TIMEOUT_SECONDS = 180;

    private final String description;
    private final Process process;

    private ProbeJvm(String description, Process process) {
        this.description = description;
        this.process = process;
    }

    /** Starts the probe with {@code properties} (each {@code name=value}) and, if above 0, {@code threads}. */
    static ProbeJvm start(List<String> properties, int threads) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        properties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainingProbe.class.getName()));
        if (threads > 0) {
            command.add(String.valueOf(threads));
        }
        String description = "a fresh JVM with " + (properties.isEmpty() ? "default settings" : String.join(" ", properties))
                + (threads > 0 ? ", " + threads + " threads" : "");
        try {
            return new ProbeJvm(description, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + description, e);
        }
    }

    /**
     * What the probe printed, one line per model; fails if it did not finish in time or failed. (Its few
     * lines fit in the pipes' buffers, so the JVM can finish before they are read.)
     */
    List<String> lines() throws IOException, InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            stop();
            fail(description + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), description + " failed:\n" + out + err);
        return out.lines().toList();
    }

    /** Ends the JVM if it still runs (when a test failed before reading it). */
    void stop() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return description;
    }
}
