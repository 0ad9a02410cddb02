package vista.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;

/** What the reader refuses even under a valid checksum: values no run writes. */
class CheckpointReaderTest {
    @TempDir
    Path dir;

    /** {@code c}'s bytes with {@code from} replaced by {@code to} (same length), sealed with a fresh checksum. */
    private Path write(Checkpoint c, String from, String to) throws IOException {
        String structure = new String(CheckpointBytes.encode(c), StandardCharsets.ISO_8859_1).replace(from, to);
        return Files.write(dir.resolve("run.ckpt"),
                CheckpointBytes.sealed(structure.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private Path write(Checkpoint c) throws IOException {
        return write(c, "", "");
    }

    private static Checkpoint at(long epoch, long step) {
        return new Checkpoint(Map.of("model", "tiny"), epoch, step, Map.of("seed", 1L),
                Map.of("w", Tensor.zeros(2)), Map.of());
    }

    /** The message of the refusal to read {@code file}, without the advice that ends every such message. */
    private static String refusal(Path file) {
        String message = assertThrows(IOException.class, () -> Checkpoint.read(file)).getMessage();
        String advice = "; vista train writes no such file: use another checkpoint or train again";
        assertTrue(message.endsWith(advice), message);
        return message.substring(0, message.length() - advice.length());
    }

    @Test
    void refusesANegativeEpoch() throws IOException {
        Path file = write(at(-5, 10));
        assertEquals("Checkpoint " + file + " is malformed at offset 33: expected the epochs finished (0 to 2147483647),"
                + " found -5", refusal(file));
    }

    @Test
    void refusesAnEpochBeyondWhatARunCanHave() throws IOException {
        Path file = write(at(1_000_000_000_000L, 10));
        assertEquals("Checkpoint " + file + " is malformed at offset 33: expected the epochs finished (0 to 2147483647),"
                + " found 1000000000000", refusal(file));
    }

    @Test
    void refusesANegativeStep() throws IOException {
        Path file = write(at(2, -1));
        assertEquals("Checkpoint " + file + " is malformed at offset 41: expected the optimiser steps taken (0 or more),"
                + " found -1", refusal(file));
    }

    @Test
    void refusesANameUsedTwiceInOneMap() throws IOException {
        Map<String, Tensor> velocities = new LinkedHashMap<>();
        velocities.put("a.velocity", Tensor.zeros(1));
        velocities.put("b.velocity", Tensor.zeros(1));
        Checkpoint c = new Checkpoint(Map.of(), 1, 1, Map.of(), Map.of("w", Tensor.zeros(1)), velocities);
        Path file = write(c, "b.velocity", "a.velocity");
        assertEquals("Checkpoint " + file + " is malformed at offset 111: expected each optimizer tensor name only"
                + " once, found a second \"a.velocity\"", refusal(file));
    }

    @Test
    void refusesTextThatIsNotUtf8() throws IOException {
        Path file = write(at(1, 1), "tiny", "ti\u00FFy");
        assertEquals("Checkpoint " + file + " is malformed at offset 29: expected UTF-8 text for the config value of"
                + " model, found bytes that are not UTF-8", refusal(file));
    }

    @Test
    void namesTheFileByItsFullPathWhenGivenARelativeOne() throws IOException {
        Path file = write(at(-5, 10));
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        assertTrue(refusal(relative).startsWith("Checkpoint " + file + " is malformed"));
    }

    @Test
    void readsTheEpochAndStepLimits() throws IOException {
        Checkpoint c = Checkpoint.read(write(at(Integer.MAX_VALUE, Long.MAX_VALUE)));
        assertEquals(Integer.MAX_VALUE, c.epoch());
        assertEquals(Long.MAX_VALUE, c.step());
    }
}
