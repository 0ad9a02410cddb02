package vista.models.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vista} program: one command with a subcommand per job. The launcher {@code ./vista} runs it,
 * and also runs the build's own commands ({@code test}, {@code build}, {@code bench}, {@code bench-main}),
 * which the help's footer lists.
 */
@Command(name = "vista",
        mixinStandardHelpOptions = true,
        versionProvider = VistaVersion.class,
        description = "Vista: deep learning for vision in pure Java.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
            ImportCommand.class, ExportCommand.class, SummaryCommand.class, AuditCommand.class, ParityCommand.class,
            AttentionCommand.class, CompareCommand.class, PlotCommand.class, RunsCommand.class, ReplayCommand.class,
            VerifyCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The launcher ./vista also runs the build's own commands:",
            "  test [MAVEN ARGS]       Build and run the whole test suite.",
            "  build                   Compile and package without running the tests.",
            "  bench [JMH ARGS]        Build and run the JMH benchmarks (bench/RESULTS.md).",
            "  bench-main CLASS [ARGS] Run a main class of the benchmark jar."})
public final class VistaCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The program's command line: every subcommand answers {@code -V} with the program's version, and
     * invalid options print their error and one hint line ({@link UsageError#parameterError}).
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new VistaCommand());
        commandLine.getSubcommands().values()
                .forEach(command -> command.getCommandSpec().versionProvider(new VistaVersion()));
        commandLine.setParameterExceptionHandler(UsageError::parameterError);
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
