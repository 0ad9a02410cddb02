package vista.bench.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vista.tensor.runtime.Vectors;

/**
 * {@code ./vista bench-check}: re-runs the key speed figures ({@link BenchCase}) side by side with PyTorch
 * and judges each ratio against the last one recorded on this machine ({@link RegressionRule}). Each round
 * runs, for each case and thread count, Vista's {@link StepTimer} in a fresh JVM, then
 * {@code pytorch_training.py}, then (at 2 threads or more) the same with {@code OMP_WAIT_POLICY=PASSIVE};
 * a figure is the median over rounds. Other processes' load is measured during every run ({@link CpuLoad}).
 * Exit status: 0 without regressions, 1 with any, 2 for invalid options, 3 when a run or the history
 * failed.
 */
@Command(name = "bench-check", sortOptions = false,
        description = {"Re-run Vista's key speed figures side by side with PyTorch and report every figure whose"
                + " Vista/PyTorch ratio is more than 15%% worse than the last one recorded on this machine"
                + " (bench/history/figures.jsonl). Exit status 1 if any is."})
public final class BenchCheck implements Callable<Integer> {
    private static final double QUIET_LOAD = 0.1;
    private static final TimedProcess.Durations FULL = new TimedProcess.Durations(5, 10);
    private static final TimedProcess.Durations QUICK = new TimedProcess.Durations(0, 0);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'", Locale.ROOT);

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--record", description = "Append the new figures to the history (a full run only, not --quick).")
    boolean record;

    @Option(names = "--rounds", paramLabel = "R", description = "Rounds (default 3; 1 with --quick).")
    Integer rounds;

    @Option(names = "--cases", split = ",", paramLabel = "CASE",
            description = "Cases to run (default all): resnet26-mini-step, sasa-resnet26-mini-step,"
                    + " san10-pairwise-mini-step, san10-patchwise-mini-step, conv3x3, resnet26-inference,"
                    + " sasa-resnet26-inference, san10-pairwise-inference.")
    List<String> cases = Arrays.stream(BenchCase.values()).map(BenchCase::key).toList();

    @Option(names = "--threads", split = ",", paramLabel = "T", description = "Thread counts (default 1,2).")
    List<Integer> threads = List.of(1, 2);

    @Option(names = "--quick", description = "5 repetitions per run without a timed warm-up, 1 round: checks that"
            + " everything runs; its figures are too rough to judge or record.")
    boolean quick;

    @Option(names = "--history", paramLabel = "FILE",
            description = "The history file (default ROOT/bench/history/figures.jsonl).")
    Path history;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, required = true,
            description = "The repository (the launcher passes it).")
    Path root;

    @Option(names = "--torch-python", paramLabel = "PYTHON", hidden = true, defaultValue = "",
            description = "PyTorch's venv python (the launcher passes it; empty: PyTorch is skipped).")
    String torchPython;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCheck()).execute(args));
    }

    @Override
    public Integer call() {
        List<BenchCase> chosen;
        try {
            chosen = cases.stream().map(BenchCase::of).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + ".");
        }
        if (threads.stream().anyMatch(t -> t < 1) || (rounds != null && rounds < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads and --rounds need whole numbers of at least 1, got --threads " + threads
                            + (rounds == null ? "" : " --rounds " + rounds) + ".");
        }
        if (record && quick) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--quick figures are too rough to be a"
                    + " baseline; record a full run (./vista bench-check --record) instead.");
        }
        try {
            return check(chosen);
        } catch (IOException e) {
            System.err.println("vista bench-check: " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("vista bench-check: interrupted");
            return 3;
        }
    }

    private int check(List<BenchCase> chosen) throws IOException, InterruptedException {
        Path historyFile = history != null ? history : root.resolve("bench/history/figures.jsonl");
        List<Figure> past = History.read(historyFile);
        boolean withTorch = !torchPython.isBlank();
        if (!withTorch) {
            System.err.println("vista bench-check: warning: PyTorch is not available (bench/compare/torch_env.sh could"
                    + " not make its venv, see above), so only Vista's times are shown: no ratios, nothing is judged"
                    + " or recorded.");
        }
        Machine machine = Machine.fromCpuinfo(cpuinfo(), Vectors.FLOAT.vectorBitSize(),
                System.getProperty("java.version"), null);
        int roundCount = rounds != null ? rounds : quick ? 1 : 3;
        TimedProcess.Durations durations = quick ? QUICK : FULL;
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(MINUTE);
        String commit = commit();
        Optional<Double> loadBefore = CpuLoad.loadAverage();
        List<CaseRuns> runs = new ArrayList<>();
        for (BenchCase c : chosen) {
            for (int t : threads) {
                runs.add(new CaseRuns(c, t));
            }
        }
        out.printf(Locale.ROOT, "bench-check at %s on %s (%d cores, %d-bit vectors, JDK %s): %d case(s) x %d"
                        + " round(s)%s; load average before start %s%n", commit, machine.cpu(), machine.cores(),
                machine.vectorBits(), machine.java(), runs.size(), roundCount, quick ? ", quick" : "",
                loadBefore.map(l -> String.format(Locale.ROOT, "%.2f", l)).orElse("unknown"));
        String torchVersion = measure(runs, roundCount, durations, withTorch);
        warnAboutLoad(runs, machine.cores());
        if (!withTorch) {
            out.print(CheckTable.renderVistaOnly(runs));
            return 0;
        }
        Machine measured = machine.withTorch(torchVersion);
        List<Figure> figures = runs.stream().map(r -> r.figure(date, commit, measured, measured.cores())).toList();
        List<RegressionRule.Verdict> verdicts = figures.stream().map(f -> RegressionRule.judge(f, past)).toList();
        out.print(CheckTable.render(verdicts));
        if (quick) {
            out.println("(--quick: 5 repetitions per run; the figures are rough, so read REGRESSION with care.)");
        }
        if (record) {
            History.append(historyFile, figures);
            out.printf(Locale.ROOT, "recorded %d figure(s) in %s%n", figures.size(), historyFile);
        }
        long regressions = verdicts.stream().filter(RegressionRule.Verdict::regression).count();
        if (regressions > 0) {
            out.printf(Locale.ROOT, "%d regression(s): %s%n", regressions, verdicts.stream()
                    .filter(RegressionRule.Verdict::regression)
                    .map(v -> v.figure().benchCase() + " at " + v.figure().threads() + " thread(s)")
                    .collect(Collectors.joining(", ")));
            return 1;
        }
        return 0;
    }

    /**
     * Runs the rounds: for each case and thread count, Vista, then PyTorch, then (at 2 threads or more)
     * PyTorch with {@code OMP_WAIT_POLICY=PASSIVE}, printing one line per case and round. Returns PyTorch's
     * version (null without PyTorch).
     */
    private String measure(List<CaseRuns> runs, int roundCount, TimedProcess.Durations durations, boolean withTorch)
            throws IOException, InterruptedException {
        Path script = root.resolve("bench/compare/pytorch_training.py");
        String torchVersion = null;
        for (int round = 1; round <= roundCount; round++) {
            for (CaseRuns r : runs) {
                String name = r.benchCase.key() + " at " + r.threads + " thread(s)";
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d/%d, %s:", round,
                        roundCount, name));
                TimedProcess.Timing vista = timed(r, "Vista " + name,
                        TimedProcess.vistaCommand(r.benchCase, r.threads, durations), null);
                r.vistaMs.add(vista.medianMs());
                line.append(describe("Vista", vista));
                if (withTorch) {
                    List<String> command = TimedProcess.torchCommand(torchPython, script, r.benchCase, r.threads,
                            durations);
                    TimedProcess.Timing torch = timed(r, "PyTorch " + name, command, null);
                    r.torchMs.add(torch.medianMs());
                    torchVersion = torch.torch();
                    line.append(",").append(describe("PyTorch", torch));
                    if (r.threads >= 2) {
                        TimedProcess.Timing passive = timed(r, "PyTorch (passive) " + name, command, "PASSIVE");
                        r.torchPassiveMs.add(passive.medianMs());
                        line.append(",").append(describe("PyTorch passive", passive));
                    }
                }
                out.println(line);
            }
        }
        return torchVersion;
    }

    /** Runs one measuring process and adds the load other processes put on the machine meanwhile. */
    private static TimedProcess.Timing timed(CaseRuns r, String label, List<String> command, String waitPolicy)
            throws IOException, InterruptedException {
        CpuLoad.Sample before = CpuLoad.sample().orElse(null);
        TimedProcess.Timing timing = TimedProcess.run(label, command, waitPolicy);
        r.addLoad(before, CpuLoad.sample().orElse(null));
        return timing;
    }

    private static String describe(String side, TimedProcess.Timing timing) {
        return String.format(Locale.ROOT, " %s %.1f ms", side, timing.medianMs())
                + (Double.isNaN(timing.iqrMs()) ? "" : String.format(Locale.ROOT, " (IQR %.1f)", timing.iqrMs()));
    }

    private void warnAboutLoad(List<CaseRuns> runs, int cores) {
        for (CaseRuns r : runs) {
            Double load = r.load(cores);
            if (load == null) {
                System.err.println("vista bench-check: warning: /proc/stat could not be read, so other processes' load"
                        + " is unknown; make sure the machine is quiet");
                return;
            }
            if (load > QUIET_LOAD) {
                System.err.printf(Locale.ROOT, "vista bench-check: warning: other processes kept %.2f cores busy"
                                + " during %s at %d thread(s) (quiet is <= %.1f); its figures may be slowed, rerun"
                                + " when the machine is quiet%n", load, r.benchCase.key(), r.threads, QUIET_LOAD);
            }
        }
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The short commit of {@code root}, with {@code +dirty} when its files (other than the history) have
     * uncommitted changes; {@code unknown} outside a git checkout.
     */
    private String commit() throws InterruptedException {
        Optional<String> head = git("rev-parse", "--short", "HEAD");
        if (head.isEmpty() || head.get().isBlank()) {
            return "unknown";
        }
        Optional<String> status = git("status", "--porcelain", "--", ".", ":(exclude)bench/history");
        return head.get().strip() + (status.isPresent() && status.get().isBlank() ? "" : "+dirty");
    }

    private Optional<String> git(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
