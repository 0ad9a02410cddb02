package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.bench.check.Figures.ELSEWHERE;
import static vista.bench.check.Figures.HERE;
import static vista.bench.check.Figures.figure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path folder;

    @Test
    void recordsReadBackAsWritten() throws IOException {
        Path file = folder.resolve("history/figures.jsonl");
        assertEquals(List.of(), History.read(file), "a missing history is empty");
        Figure first = figure(HERE, "2026-12-07T19:40Z", "abc1234", 0.68);
        Figure passive = new Figure("2026-12-07T19:41Z", "abc1234+dirty", HERE, "conv3x3", 2, 10.5, 8.25, 7.5,
                7.5 / 10.5, null);
        History.append(file, List.of(first));
        History.append(file, List.of(passive, figure(ELSEWHERE, "2026-12-08T08:00Z", "def5678", 1.2)));
        List<Figure> read = History.read(file);
        assertEquals(List.of(first, passive, figure(ELSEWHERE, "2026-12-08T08:00Z", "def5678", 1.2)), read);
        assertEquals(3, Files.readAllLines(file).size(), "one whole line per figure");
    }

    @Test
    void linesUseTheDocumentedNames() {
        String line = History.toLine(new Figure("2026-12-07T19:40Z", "abc1234", HERE, "resnet26-mini-step", 2,
                400, 280, 250.0, 250 / 400.0, 0.03));
        for (String name : List.of("\"date\":", "\"commit\":", "\"machine\":{\"cpu\":\"AMD EPYC 9R45\",\"cores\":2,"
                + "\"vector_bits\":512,\"java\":\"25.0.3\",\"torch\":\"2.13.0+cpu\"}",
                "\"case\":\"resnet26-mini-step\"",
                "\"threads\":2", "\"vista_ms\":400", "\"torch_ms\":280", "\"torch_passive_ms\":250", "\"ratio\":0.625",
                "\"load\":0.03")) {
            assertTrue(line.contains(name), name + " in " + line);
        }
    }

    @Test
    void aBrokenLineIsRefusedNamingItsLine() throws IOException {
        Path file = folder.resolve("figures.jsonl");
        Files.writeString(file, History.toLine(figure(HERE, "2026-12-07T19:40Z", "abc1234", 0.68)) + "\n\n"
                + "{\"date\":\"2026-12-07T19:40Z\",\"commit\":\"abc\",\"case\":\"conv3x3\"}\n");
        IOException e = assertThrows(IOException.class, () -> History.read(file));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("machine"), e.getMessage());
        Files.writeString(file, "{\"date\":\"yesterday\"," + History.toLine(figure(HERE, "x", "a", 1)).substring(1)
                .replaceFirst("\"date\":\"x\",", "") + "\n");
        e = assertThrows(IOException.class, () -> History.read(file));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("yesterday"), e.getMessage());
    }
}
