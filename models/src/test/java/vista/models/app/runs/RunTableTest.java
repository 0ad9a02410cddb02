package vista.models.app.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunTableTest {
    @Test
    void threadsMergeRepeatedSessions() {
        assertEquals("2", RunTable.threads(List.of(2, 2, 2)));
        assertEquals("2 then 1", RunTable.threads(List.of(2, 1, 1)));
        assertEquals("1 then 2 then 1", RunTable.threads(List.of(1, 2, 1)));
    }

    @Test
    void durationsAreHoursMinutesSeconds() {
        assertEquals("0:00:00", RunTable.duration(0.4));
        assertEquals("0:01:05", RunTable.duration(65));
        assertEquals("2:03:04", RunTable.duration(2 * 3600 + 3 * 60 + 4.2));
        assertEquals("27:46:40", RunTable.duration(100_000));
    }
}
