package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedProcessTest {
    @Test
    void readsVistasAndPyTorchsTimingLines() throws IOException {
        TimedProcess.Timing vista = TimedProcess.parse("Vista", "{\"case\":\"conv3x3\",\"threads\":1,"
                + "\"median_ms\":41.5,\"iqr_ms\":0.75,\"runs\":12,\"finite\":true}");
        assertEquals(new TimedProcess.Timing(41.5, 0.75, null), vista);
        TimedProcess.Timing torch = TimedProcess.parse("PyTorch", "{\"case\": \"conv3x3\", \"median_ms\": 30.25,"
                + " \"runs\": 5, \"torch\": \"2.13.0+cpu\"}");
        assertEquals(30.25, torch.medianMs());
        assertTrue(Double.isNaN(torch.iqrMs()));
        assertEquals("2.13.0+cpu", torch.torch());
    }

    @Test
    void refusesALineWithoutAMedian() {
        IOException e = assertThrows(IOException.class, () -> TimedProcess.parse("PyTorch conv3x3",
                "{\"median_ms\":\"fast\"}"));
        assertTrue(e.getMessage().startsWith("PyTorch conv3x3 printed a timing line without a numeric median_ms"));
        assertThrows(IOException.class, () -> TimedProcess.parse("Vista", "{not json"));
    }

    @Test
    void pyTorchIsAskedForTheSameCaseAndTimes() {
        List<String> command = TimedProcess.torchCommand("/venv/bin/python",
                Path.of("bench/compare/pytorch_training.py"),
                BenchCase.SAN10_PATCHWISE_MINI_STEP, 2, new TimedProcess.Durations(5, 10));
        assertEquals(List.of("/venv/bin/python", "bench/compare/pytorch_training.py", "--warmup-seconds", "5.0",
                "--seconds", "10.0", "--one", "san_patchwise_mini_step", "2"), command);
    }

    @Test
    void everyCaseIsOneThePyTorchScriptKnows() throws IOException {
        // Surefire runs in the bench module's folder.
        String script = Files.readString(Path.of("compare/pytorch_training.py"));
        for (BenchCase c : BenchCase.values()) {
            assertTrue(script.contains("\"" + c.torchCase() + "\""), c.torchCase() + " in pytorch_training.py");
        }
    }
}
