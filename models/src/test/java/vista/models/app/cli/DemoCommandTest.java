package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vista.tensor.runtime.Parallel;

class DemoCommandTest {

    private static DemoCommand demo(int steps) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--steps", String.valueOf(steps));
        return demo;
    }

    private static DemoCommand.Result quietly(DemoCommand demo) {
        return demo.train(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void trainingReducesTheLossAndSeparatesTheSpirals() {
        DemoCommand.Result result = quietly(demo(150));
        assertTrue(result.lastLoss() < 0.2 * result.firstLoss(),
                "loss fell only from " + result.firstLoss() + " to " + result.lastLoss());
        assertTrue(result.testAccuracy() > 0.9, "held-out accuracy " + result.testAccuracy());
    }

    @Test
    void sameBitsForAnyThreadCount() {
        DemoCommand.Result one = Parallel.withThreads(1, () -> quietly(demo(20)));
        for (int threads : new int[] {2, 3}) {
            DemoCommand.Result many = Parallel.withThreads(threads, () -> quietly(demo(20)));
            assertEquals(one.lastLoss(), many.lastLoss(), "loss with " + threads + " threads");
            for (int i = 0; i < one.weights().size(); i++) {
                assertArrayEquals(one.weights().get(i).toFloatArray(), many.weights().get(i).toFloatArray(),
                        "weights " + i + " with " + threads + " threads");
            }
        }
    }

    @Test
    void rejectsInvalidOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, new CommandLine(new DemoCommand()).execute("--lr", "-1"));
        } finally {
            System.setErr(saved);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--lr > 0"), err.toString(StandardCharsets.UTF_8));
    }
}
