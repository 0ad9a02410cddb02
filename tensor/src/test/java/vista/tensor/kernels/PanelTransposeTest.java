package vista.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * The register-blocked transposing copy puts every value where the element-by-element definition does, and
 * writes nothing else but, in the columns that complete the last block of eight, copies of the last line.
 */
class PanelTransposeTest {
    @Test
    void packsLikeTheDefinitionForEveryBlockAndRemainder() {
        float[] data = new float[40 * 53 + 64];
        for (int i = 0; i < data.length; i++) {
            data[i] = i + 0.5f;
        }
        for (int width : new int[] {8, 16, 32}) {
            for (int valid = 0; valid <= width; valid++) {
                for (int depth : new int[] {0, 1, 7, 8, 9, 16, 23, 40}) {
                    for (int from : new int[] {0, 3}) {
                        int lineStride = 53;
                        int to = 5;
                        float[] expected = new float[to + depth * width + 1];
                        float[] actual = expected.clone();
                        for (int x = 0; x < valid; x++) {
                            for (int p = 0; p < depth; p++) {
                                expected[to + p * width + x] = data[from + x * lineStride + p];
                            }
                        }
                        PanelTranspose.pack(data, from, lineStride, valid, depth, width, actual, to);
                        int padded = (valid + 7) / 8 * 8;
                        for (int x = valid; x < padded; x++) {       // the last line read again, or nothing
                            for (int p = 0; p < depth; p++) {
                                int at = to + p * width + x;
                                float copy = data[from + (valid - 1) * lineStride + p];
                                if (actual[at] == copy) {
                                    expected[at] = copy;
                                }
                            }
                        }
                        assertArrayEquals(expected, actual, "width " + width + ", valid " + valid + ", depth " + depth
                                + ", from " + from);
                    }
                }
            }
        }
    }
}
