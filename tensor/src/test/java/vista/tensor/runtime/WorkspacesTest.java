package vista.tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Kernel scratch arrays: handed out zero-filled, reused after they are given back. */
class WorkspacesTest {

    @Test
    void givenBackArrayComesBackZeroFilled() {
        int length = 1_234_567;
        float[] first = Workspaces.take(length);
        assertEquals(length, first.length);
        Arrays.fill(first, 3f);
        Workspaces.giveBack(first);
        float[] second = Workspaces.take(length);
        assertArrayEquals(new float[length], second);
        Workspaces.giveBack(second);
    }

    @Test
    void keepsNoMoreThanItsLimit() {
        int length = (int) (Workspaces.RETAINED_BYTES / 4 / 3) + 1;
        float[][] arrays = new float[3][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = Workspaces.take(length);
        }
        for (float[] array : arrays) {
            Workspaces.giveBack(array);
        }
        int reused = 0;
        float[][] again = new float[3][];
        for (int i = 0; i < again.length; i++) {
            again[i] = Workspaces.take(length);
            for (float[] array : arrays) {
                reused += array == again[i] ? 1 : 0;
            }
        }
        assertEquals(2, reused);
    }
}
