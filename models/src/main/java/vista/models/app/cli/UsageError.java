package vista.models.app.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** What a command prints for invalid options: each problem as a sentence, then where the options are described. */
final class UsageError {
    /** The exit status for invalid options. */
    static final int STATUS = 2;

    private UsageError() {
    }

    /** The problems among {@code found} that are not null (null means no problem), in order. */
    static List<String> all(String... found) {
        return Arrays.stream(found).filter(Objects::nonNull).toList();
    }

    /** The first of {@code problems} that is not null (null means no problem), or null if there is none. */
    static String first(String... problems) {
        return Arrays.stream(problems).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * Prints {@code problems} as {@code vista COMMAND: problem} lines and a pointer to the command's help
     * on its error stream; returns {@link #STATUS}.
     */
    static int report(CommandSpec command, List<String> problems) {
        PrintWriter err = command.commandLine().getErr();
        for (String problem : problems) {
            err.println("vista " + command.name() + ": " + problem);
        }
        err.println("Run 'vista " + command.name() + " --help' for the options.");
        err.flush();
        return STATUS;
    }

    /**
     * What picocli's parser found wrong (an unknown option, a missing or malformed value), as
     * {@code vista COMMAND: error} and one hint line: picocli's guess for a mistyped option or command,
     * if it has one, and where the help is; the usage itself only on {@code --help}. Returns {@link #STATUS}.
     */
    static int parameterError(ParameterException error, String[] args) {
        CommandSpec command = error.getCommandLine().getCommandSpec();
        PrintWriter err = error.getCommandLine().getErr();
        List<String> guesses = error instanceof UnmatchedArgumentException unmatched ? unmatched.getSuggestions()
                : List.of();
        err.println(command.qualifiedName() + ": " + error.getMessage());
        String help = "Run '" + command.qualifiedName() + " --help' for the "
                + (command.subcommands().isEmpty() ? "options." : "commands.");
        err.println(guesses.isEmpty() ? help : "Did you mean " + String.join(" or ", guesses) + "? " + help);
        err.flush();
        return STATUS;
    }
}
