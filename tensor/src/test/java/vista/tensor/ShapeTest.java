package vista.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void countsElementsAndRowMajorStrides() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(24, s.numel());
        assertArrayEquals(new int[] {12, 4, 1}, s.contiguousStrides());
        assertEquals(1, Shape.scalar().numel());
        assertEquals(0, Shape.of(3, 0, 2).numel());
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(2, s.axis(-1, "op"));
        assertEquals(0, s.axis(-3, "op"));
        assertEquals(4, s.dim(-1));
    }

    @Test
    void axisOutOfRangeSaysWhatWasExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).axis(3, "sum"));
        assertEquals("sum: axis 3 is out of range for shape [2, 3] (expected -2 <= axis < 2)", e.getMessage());
    }

    @Test
    void rejectsNegativeDimensions() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertTrue(e.getMessage().contains("dimensions must be >= 0, got -1"), e.getMessage());
    }

    @Test
    void broadcastingFollowsNumpyRules() {
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(2, 3, 4), Shape.of(3, 1)));
        assertEquals(Shape.of(5, 4), Shape.broadcast("add", Shape.of(1), Shape.of(5, 4)));
        assertEquals(Shape.of(2, 3), Shape.broadcast("add", Shape.scalar(), Shape.of(2, 3)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("add", Shape.of(2, 3), Shape.of(4, 3)));
        assertEquals("add: shapes [2, 3] and [4, 3] cannot be broadcast (axis 0 of the result: 2 vs 4)",
                e.getMessage());
    }
}
