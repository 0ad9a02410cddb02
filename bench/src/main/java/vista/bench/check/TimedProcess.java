package vista.bench.check;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One measuring process of bench-check: Vista's {@link StepTimer} in a fresh JVM, or
 * {@code pytorch_training.py --one CASE THREADS} in PyTorch's venv. Either prints one JSON line with
 * {@code median_ms} (and PyTorch's also {@code torch}, its version); the process's other output lines go
 * to standard error, prefixed with what ran, except the JDK's notice about incubator modules.
 */
final class TimedProcess {
    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    /**
     * What a process measured.
     *
     * @param medianMs the median milliseconds of one repetition
     * @param iqrMs the interquartile range of the repetitions, or NaN if the process did not report it
     * @param torch PyTorch's version, or null for Vista
     */
    record Timing(double medianMs, double iqrMs, String torch) {
    }

    /**
     * How long a process warms up and measures.
     *
     * @param warmupSeconds at least this long (and at least 5 repetitions) before timing
     * @param measureSeconds time repetitions until this long has passed (and at least 5 ran)
     */
    record Durations(double warmupSeconds, double measureSeconds) {
    }

    private TimedProcess() {
    }

    /**
     * The command that runs {@link StepTimer} in a new JVM: this JVM's java, its options (the launcher's
     * {@code --add-modules}, heap settings and {@code VISTA_JAVA_OPTS}) and its class path.
     */
    static List<String> vistaCommand(BenchCase benchCase, int threads, Durations durations) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StepTimer.class.getName(),
                benchCase.key(), Integer.toString(threads), Double.toString(durations.warmupSeconds()),
                Double.toString(durations.measureSeconds())));
        return command;
    }

    /** The command that runs {@code script} ({@code pytorch_training.py}) for one case with {@code python}. */
    static List<String> torchCommand(String python, Path script, BenchCase benchCase, int threads,
            Durations durations) {
        return List.of(python, script.toString(), "--warmup-seconds", Double.toString(durations.warmupSeconds()),
                "--seconds", Double.toString(durations.measureSeconds()), "--one", benchCase.torchCase(),
                Integer.toString(threads));
    }

    /**
     * Runs {@code command} with {@code OMP_WAIT_POLICY} set to {@code waitPolicy} (removed if null) and
     * returns its timing.
     *
     * @throws IOException naming {@code label} and the command if it cannot start, fails, or prints no timing
     */
    static Timing run(String label, List<String> command, String waitPolicy) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        if (waitPolicy == null) {
            env.remove("OMP_WAIT_POLICY");
        } else {
            env.put("OMP_WAIT_POLICY", waitPolicy);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(label + " could not start (" + e.getMessage() + "): " + String.join(" ", command), e);
        }
        String json = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("{")) {
                    json = line;
                } else if (!line.equals(INCUBATOR_NOTICE)) {
                    System.err.println("  [" + label + "] " + line);
                    tail.add(line);
                }
            }
        }
        int status = process.waitFor();
        if (status != 0 || json == null) {
            throw new IOException(label + " failed (exit status " + status + (json == null ? ", no timing line" : "")
                    + (tail.isEmpty() ? "" : "; its last line: " + tail.get(tail.size() - 1))
                    + "); run it by hand to see why: " + String.join(" ", command));
        }
        return parse(label, json);
    }

    /** The timing of a process's JSON line. */
    static Timing parse(String label, String json) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(label + " printed a timing line that is not a JSON object: " + json, e);
        }
        if (!number(o, "median_ms")) {
            throw new IOException(label + " printed a timing line without a numeric median_ms: " + json);
        }
        double iqr = number(o, "iqr_ms") ? o.get("iqr_ms").getAsDouble() : Double.NaN;
        String torch = o.has("torch") ? o.get("torch").getAsString() : null;
        return new Timing(o.get("median_ms").getAsDouble(), iqr, torch);
    }

    private static boolean number(JsonObject o, String name) {
        return o.has(name) && o.get(name).isJsonPrimitive() && o.getAsJsonPrimitive(name).isNumber();
    }
}
