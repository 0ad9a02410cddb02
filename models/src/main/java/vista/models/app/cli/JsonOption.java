package vista.models.app.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print a command's result as one JSON object instead of text. */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as one JSON object instead of text.")
    boolean enabled;
}
