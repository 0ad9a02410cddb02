package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small {@code .gz} that decompresses to far more than its header declares is refused once the declared
 * size is passed, not after filling the heap; an honest file of the same header still reads.
 */
class GzipBombTest {
    private static final int MEGABYTE = 1 << 20;

    @TempDir
    Path tmp;

    /** An IDX header for {@code count} images of 28 x 28, then {@code zeros} zero bytes, gzipped. */
    private static byte[] idxGz(int count, long zeros) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(ByteBuffer.allocate(16).putInt(0x803).putInt(count).putInt(28).putInt(28).array());
            byte[] block = new byte[MEGABYTE];
            for (long left = zeros; left > 0; left -= block.length) {
                gz.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aBombIsRefusedAtTheSizeItsHeaderDeclares() throws IOException {
        Path bomb = tmp.resolve("train-images-idx3-ubyte.gz");
        Files.write(bomb, idxGz(10, 256L * MEGABYTE));
        assertTrue(Files.size(bomb) < MEGABYTE, "a 256 MB payload in a small file");
        long before = usedHeap();
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(bomb, "image"));
        assertEquals(bomb + ": decompresses to more than the 7856 bytes its header declares; the file is damaged or"
                + " is not the data it claims to be", e.getMessage());
        assertTrue(usedHeap() - before < 64L * MEGABYTE, "stopped long before the payload's 256 MB");
    }

    @Test
    void anHonestGzippedFileStillReadsWhole() throws IOException {
        Path file = tmp.resolve("images.gz");
        Files.write(file, idxGz(10, 10 * 28 * 28));
        IdxFile read = IdxFile.read(file, "image");
        assertArrayEquals(new int[] {10, 28, 28}, read.dims());
        assertEquals(16 + 10 * 28 * 28, read.bytes().length);
    }

    @Test
    void theDeclaredSizeSaturatesInsteadOfOverflowing() {
        byte[] head = ByteBuffer.allocate(16).putInt(0x803).putInt(-1).putInt(-1).putInt(-1).array();
        assertEquals(Long.MAX_VALUE, IdxFile.declaredBytes(head));
        assertEquals(3, IdxFile.declaredBytes(new byte[3]), "an incomplete header declares nothing yet");
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
