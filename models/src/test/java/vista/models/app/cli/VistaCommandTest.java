package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.runtime.Parallel;

/** What the {@code vista} program prints for its own options, its help and mistyped command lines. */
class VistaCommandTest {
    private static final int THREADS = Parallel.threads();

    @TempDir
    Path tmp;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    @Test
    void everySubcommandPrintsTheVersionOnDashV() {
        for (String command : new String[] {"train", "eval", "summary", "attention", "replay", "verify", "demo"}) {
            Cli.Outcome version = Cli.vista(command, "-V");
            assertEquals(0, version.status(), version::toString);
            assertTrue(version.out().startsWith("Vista "), command + ": " + version);
            assertTrue(version.out().contains("Vector species"), command + ": " + version);
        }
    }

    @Test
    void anUnknownOptionPrintsItsErrorAndOneHintNotTheUsage() {
        Cli.Outcome unknown = Cli.vista("train", "--epoch", "2", "--out", tmp.toString());
        assertEquals(2, unknown.status(), unknown::toString);
        assertEquals("vista train: Unknown options: '--epoch', '2'\n"
                + "Did you mean --epochs? Run 'vista train --help' for the options.\n", unknown.err());

        Cli.Outcome missing = Cli.vista("eval");
        assertEquals(2, missing.status(), missing::toString);
        assertEquals("vista eval: Give either --checkpoint FILE (a run of vista train) or --weights FILE with --model"
                + " and --data.\n"
                + "Run 'vista eval --help' for the options.\n", missing.err());

        Cli.Outcome command = Cli.vista("trian");
        assertEquals(2, command.status(), command::toString);
        assertTrue(command.err().endsWith("Did you mean train or verify? Run 'vista --help' for the commands.\n"),
                command::toString);
        assertFalse(command.err().contains("Usage"), command::toString);
    }

    @Test
    void helpListsTheLaunchersOwnCommands() {
        Cli.Outcome help = Cli.vista("help");
        assertEquals(0, help.status(), help::toString);
        for (String command : new String[] {"  train ", "  eval ", "  test [MAVEN ARGS] ", "  build ",
            "  bench [JMH ARGS] ", "  bench-main CLASS [ARGS] "}) {
            assertTrue(help.out().contains(command), command + " in: " + help.out());
        }
    }

    @Test
    void summaryChecksTheInputSizeAgainstTheModel() {
        Cli.Outcome odd = Cli.vista("summary", "--model", "sasa-resnet26-small", "--input", "1x28x28");
        assertEquals(2, odd.status(), odd::toString);
        assertTrue(odd.err().startsWith("vista summary: --input 1x28x28 does not fit: sasa-resnet26-small cannot take"
                + " images of 28 x 28 pixels: stage 4's stride-2 attention"), odd::toString);
    }

    @Test
    void moreThreadsThanProcessorsGetAWarningAndAreUsed() {
        int processors = Runtime.getRuntime().availableProcessors();
        Path none = tmp.resolve("none.vckp");
        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", none.toString(), "--threads", "" + (processors + 1));
        assertTrue(eval.err().startsWith("vista eval: warning: --threads " + (processors + 1) + " is more than the "
                + processors + " processors Java sees here; the results are the same bits, but the threads beyond "
                + processors + " only wait for one another (leave --threads out to use all " + processors + ").\n"),
                eval::toString);
        assertEquals(processors + 1, Parallel.threads());

        Cli.Outcome fits = Cli.vista("eval", "--checkpoint", none.toString(), "--threads", "" + processors);
        assertFalse(fits.err().contains("warning"), fits::toString);
    }
}
