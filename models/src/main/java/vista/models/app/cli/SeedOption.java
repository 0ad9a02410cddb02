package vista.models.app.cli;

import picocli.CommandLine.Option;

/** {@code --seed S}: the seed every random choice of a command derives from. */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long value;
}
