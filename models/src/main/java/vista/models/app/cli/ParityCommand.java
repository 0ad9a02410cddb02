package vista.models.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.parity.CaseResult;
import vista.models.app.parity.TensorComparison;
import vista.models.app.parity.ParityException;
import vista.models.app.parity.ParityRunner;

/**
 * {@code vista parity DIR}: runs every PyTorch parity case in DIR through Vista (float32) and compares
 * outputs, gradients and updated BatchNorm statistics with the float64 references, one line per case
 * (max |diff|, worst/allowed, PASS/FAIL/SKIPPED), then {@code N passed, M failed, K skipped}. Exit
 * status: 0 if no case failed, 1 if one did, 2 if DIR is missing or holds no case. The procedure and the
 * tolerance rule are the fixtures' FORMAT.md; the code is in {@link vista.models.app.parity}.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = {"Check Vista's ops, blocks and models against PyTorch fixtures (see the fixtures' FORMAT.md).",
            "Per case: the largest |diff| and the worst |diff| / (atol + rtol |expected|) over its compared "
                + "tensors (at most 1 passes).",
            "Exit status 0 if no case failed, 1 if one did, 2 if DIR has no cases."})
final class ParityCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "Folder with index.json or case folders (each holding a case.json).")
    Path dir;

    @Option(names = {"-v", "--verbose"}, description = "Also print one line per compared tensor.")
    boolean verbose;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        if (threads.problem() != null) {
            System.err.println("vista parity: " + threads.problem());
            return 2;
        }
        threads.apply();
        return run(System.out, System.err);
    }

    /** Runs the cases, printing the report to {@code out} and a problem with DIR to {@code err}; returns the exit status. */
    int run(PrintStream out, PrintStream err) {
        List<Path> folders;
        try {
            folders = ParityRunner.caseFolders(dir);
        } catch (ParityException e) {
            err.println("vista parity: " + e.getMessage());
            return 2;
        }
        int width = Math.max("case".length(), folders.stream().mapToInt(p -> p.getFileName().toString().length()).max().orElse(0));
        String row = "%-" + width + "s  %10s  %13s  %s%n";
        out.printf("Parity of %d cases in %s with PyTorch's float64 results (Vista in float32)%n", folders.size(), dir);
        out.printf(Locale.ROOT, row, "case", "max |diff|", "worst/allowed", "result");
        List<CaseResult> results = ParityRunner.runAll(dir, r -> {
            out.printf(Locale.ROOT, row, r.name(), TensorComparison.formatDiff(r.worstAbsDiff()),
                    TensorComparison.formatRatio(r.worstRatio()), verdict(r));
            if (verbose) {
                printTensors(out, r);
            }
            out.flush();
        });
        long passed = results.stream().filter(r -> r.status() == CaseResult.Status.PASSED).count();
        long failed = results.stream().filter(r -> r.status() == CaseResult.Status.FAILED).count();
        long skipped = results.stream().filter(r -> r.status() == CaseResult.Status.SKIPPED).count();
        out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        return failed > 0 ? 1 : 0;
    }

    /**
     * One line per compared tensor, under the case's line: name, shape, max |diff|, worst/allowed, result;
     * for a refused weight file, Vista's refusal.
     */
    private static void printTensors(PrintStream out, CaseResult r) {
        if (r.status() == CaseResult.Status.PASSED && r.message() != null) {
            out.println("    refused: " + r.message());
        }
        int width = r.comparisons().stream().mapToInt(c -> c.tensor().length()).max().orElse(0);
        String row = "    %-" + width + "s  %-16s  %10s  %13s  %s%n";
        for (TensorComparison c : r.comparisons()) {
            out.printf(Locale.ROOT, row, c.tensor(), c.expectedShape(), TensorComparison.formatDiff(c.maxAbsDiff()),
                    TensorComparison.formatRatio(c.worstRatio()), c.passed() ? "PASS" : "FAIL (" + c.problem() + ")");
        }
    }

    /** PASS; SKIPPED (why); FAIL (the failing tensors) or FAIL: the error. */
    private static String verdict(CaseResult r) {
        return switch (r.status()) {
            case PASSED -> "PASS";
            case SKIPPED -> "SKIPPED (" + r.message() + ")";
            case FAILED -> r.message() != null ? "FAIL: " + r.message()
                    : "FAIL (" + String.join(", ", r.failures().stream().map(TensorComparison::tensor).toList()) + ")";
        };
    }
}
