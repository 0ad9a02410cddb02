package vista.models.app.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vista.models.app.summary.AuditReport;
import vista.models.app.summary.PaperAudit;

/**
 * {@code vista audit [--json] [--model NAME]}: for every model of the SASA and SAN papers (or the one
 * named), Vista's parameter count and cost beside the published figures, with the difference, a verdict
 * and the cause of every difference beyond rounding ({@link PaperAudit}, {@link AuditReport}).
 *
 * <p>Exit status: 0 when every row matches or is explained; 2 for a model the papers do not cover; 1 if
 * a count differs and no explanation is recorded (a change to a model or to the counting made it so).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Compare the parameters and costs of the SASA and SAN papers' models with the published "
                + "figures, explaining every difference beyond rounding."})
final class AuditCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME",
            description = "Audit this model only, one of: ${COMPLETION-CANDIDATES}.", completionCandidates = PaperModels.class)
    String model;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The papers' models, for the help text. */
    static final class PaperModels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return PaperAudit.models().iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (model != null && !PaperAudit.models().contains(model)) {
            err.println("vista audit: the papers give no figures for --model " + model + "; choose one of "
                    + String.join(", ", PaperAudit.models()) + ".");
            return 2;
        }
        AuditReport report;
        try {
            report = new AuditReport((model == null ? PaperAudit.models() : List.of(model)).stream()
                    .map(PaperAudit::of).toList());
        } catch (IllegalStateException e) {
            err.println("vista audit: " + e.getMessage() + ".");
            return 1;
        }
        if (json.enabled) {
            out.println(report.json());
        } else {
            out.print(report.text());
        }
        out.flush();
        return 0;
    }
}
