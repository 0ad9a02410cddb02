package vista.models.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vista} program: one command with a subcommand per job. The launcher {@code ./vista} runs it. */
@Command(name = "vista",
        mixinStandardHelpOptions = true,
        versionProvider = VistaVersion.class,
        description = "Vista: deep learning for vision in pure Java.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, SummaryCommand.class, AuditCommand.class,
            ParityCommand.class, AttentionCommand.class, ReplayCommand.class, VerifyCommand.class,
            CommandLine.HelpCommand.class})
public final class VistaCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VistaCommand()).execute(args));
    }
}
