package vista.models.app.cli;

import java.util.List;
import picocli.CommandLine.Option;
import vista.models.app.train.Progress;

/**
 * {@code --progress auto|bar|lines}: how a command shows its work ({@link Progress}). The command sets
 * the default: {@code @Mixin ProgressOption progress = new ProgressOption("auto")}.
 */
final class ProgressOption {
    private static final List<String> STYLES = List.of("auto", "bar", "lines");

    @Option(names = "--progress", paramLabel = "auto|bar|lines",
            description = "bar: one line redrawn in place; lines: a line every tenth of an epoch, none while testing;"
                    + " auto: bar on a terminal, else lines (default: ${DEFAULT-VALUE}).")
    String style;

    ProgressOption(String defaultStyle) {
        this.style = defaultStyle;
    }

    /** The problem with the value given, as a sentence; null if there is none. */
    String problem() {
        return STYLES.contains(style) ? null : "--progress must be auto, bar or lines, got " + style + ".";
    }

    /** The display style asked for, once {@link #problem()} found nothing wrong: auto is bar on a terminal. */
    Progress.Mode mode() {
        return switch (style) {
            case "bar" -> Progress.Mode.BAR;
            case "lines" -> Progress.Mode.LINES;
            case "auto" -> Progress.Mode.forStandardOutput();
            default -> throw new IllegalStateException(problem());
        };
    }
}
