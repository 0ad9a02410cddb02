package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void storesSamplesAsChwBytesAndConvertsToFloatsOver255() {
        // Two samples of 2 channels x 1 row x 2 columns.
        Dataset d = new Dataset("tiny", 2, 1, 2, TestFiles.bytes(0, 51, 102, 255, 1, 2, 3, 4), new int[] {1, 0},
                List.of("a", "b"));
        assertEquals(2, d.size());
        assertEquals(4, d.sampleSize());
        assertEquals(255, d.pixel(0, 1, 0, 1));
        assertEquals(3, d.pixel(1, 1, 0, 0));
        assertArrayEquals(TestFiles.bytes(1, 2, 3, 4), d.pixels(1));
        float[] out = new float[6];
        d.copyAsFloats(0, out, 1);
        assertArrayEquals(new float[] {0, 0, 0.2f, 0.4f, 1, 0}, out);
        assertEquals("b", d.classNames().get(d.label(0)));
    }

    @Test
    void subsetKeepsTheChosenSamplesInOrder() {
        Dataset d = TestFiles.dataset(5, 1, 2, 2, 3);
        Dataset s = d.subset(4, 0, 4);
        assertEquals(3, s.size());
        assertArrayEquals(d.pixels(4), s.pixels(0));
        assertArrayEquals(d.pixels(0), s.pixels(1));
        assertEquals(d.label(4), s.label(2));
        assertEquals(d.classNames(), s.classNames());
    }

    @Test
    void rejectsInconsistentContents() {
        List<String> names = List.of("a", "b");
        assertEquals("x: 2 samples of 1 x 2 x 2 need 8 pixel bytes, got 7",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset("x", 1, 2, 2, new byte[7], new int[2], names)).getMessage());
        assertEquals("x: label 2 of sample 1 is outside 0..1 (2 classes)",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset("x", 1, 1, 1, new byte[2], new int[] {0, 2}, names)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", 1, 1, 1, new byte[0], new int[0], names));
        assertThrows(IndexOutOfBoundsException.class, () -> TestFiles.dataset(3, 1, 1, 1, 1).label(3));
    }
}
