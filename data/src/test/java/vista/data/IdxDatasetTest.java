package vista.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    /** 3 images of 2 x 4 pixels: image i has pixels 100 i + k, k = 0..7. */
    private static byte[] threeImages() {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 8; k++) {
                pixels[i * 8 + k] = (byte) (100 * i + k);
            }
        }
        return TestFiles.idx(new int[] {3, 2, 4}, pixels);
    }

    private static byte[] threeLabels() {
        return TestFiles.idx(new int[] {3}, TestFiles.bytes(7, 0, 9));
    }

    private static void assertThreeSamples(Dataset d) {
        assertEquals(3, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(4, d.width());
        assertEquals(10, d.numClasses());
        assertEquals(7, d.label(0));
        assertEquals(0, d.label(1));
        assertEquals(9, d.label(2));
        assertEquals(0, d.pixel(0, 0, 0, 0));
        assertEquals(5, d.pixel(0, 0, 1, 1));
        assertEquals(107, d.pixel(1, 0, 1, 3));
        assertEquals(203, d.pixel(2, 0, 0, 3));
    }

    @Test
    void readsPlainIdxImagesAndLabels() throws Exception {
        Path images = TestFiles.write(dir.resolve("images-idx3-ubyte"), threeImages());
        Path labels = TestFiles.write(dir.resolve("labels-idx1-ubyte"), threeLabels());
        assertThreeSamples(IdxDataset.read("tiny", images, labels, DIGITS));
    }

    @Test
    void readsGzipDetectedByMagicBytesNotByName() throws Exception {
        // A gzipped file without .gz, and an uncompressed one named .gz: both must read.
        Path images = TestFiles.write(dir.resolve("images-idx3-ubyte"), TestFiles.gzip(threeImages()));
        Path labels = TestFiles.write(dir.resolve("labels-idx1-ubyte.gz"), threeLabels());
        assertThreeSamples(IdxDataset.read("tiny", images, labels, DIGITS));
    }

    @Test
    void rejectsTruncatedIdxFile() {
        byte[] full = threeImages();
        Path images = TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                TestFiles.gzip(TestFiles.truncate(full, full.length - 5)));
        Path labels = TestFiles.write(dir.resolve("labels"), threeLabels());
        DataFileException e = assertThrows(DataFileException.class, () -> IdxDataset.read("tiny", images, labels, DIGITS));
        assertEquals(images + ": truncated at byte 35: expected 24 bytes of image data for 3 x 2 x 4 after the"
                + " 16-byte header, found 19", e.getMessage());
        assertEquals(images, e.file());
    }

    @Test
    void rejectsTruncatedHeader() {
        Path images = TestFiles.write(dir.resolve("images"), TestFiles.truncate(threeImages(), 10));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(images, "image"));
        assertEquals(images + ": truncated at byte 10: expected a 16-byte IDX header for 3 dimensions, found 10 bytes",
                e.getMessage());
    }

    @Test
    void rejectsWrongMagicNumber() {
        byte[] bytes = threeImages();
        bytes[0] = 0x1A;
        Path images = TestFiles.write(dir.resolve("images"), bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(images, "image"));
        assertTrue(e.getMessage().startsWith(images + ": wrong magic number 0x1A000803 at byte 0"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedTypeCode() {
        byte[] bytes = threeImages();
        bytes[2] = 0x0D;
        Path images = TestFiles.write(dir.resolve("images"), bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(images, "image"));
        assertEquals(images + ": unsupported IDX type code 0x0D (float) at byte 2: Vista reads only 0x08 (unsigned byte)",
                e.getMessage());
    }

    @Test
    void rejectsBytesAfterTheData() {
        byte[] full = threeImages();
        byte[] longer = java.util.Arrays.copyOf(full, full.length + 3);
        Path images = TestFiles.write(dir.resolve("images"), longer);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(images, "image"));
        assertEquals(images + ": 3 unexpected bytes after the end of the image data at byte 40 (the header declares"
                + " 3 x 2 x 4)", e.getMessage());
    }

    @Test
    void rejectsLabelCountDifferentFromImageCount() {
        Path images = TestFiles.write(dir.resolve("images"), threeImages());
        Path labels = TestFiles.write(dir.resolve("labels"), TestFiles.idx(new int[] {2}, TestFiles.bytes(1, 2)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxDataset.read("tiny", images, labels, DIGITS));
        assertEquals(labels + ": holds 2 labels but " + images + " holds 3 images; the two files must describe the"
                + " same samples", e.getMessage());
    }

    @Test
    void rejectsLabelOutOfRange() {
        Path images = TestFiles.write(dir.resolve("images"), threeImages());
        Path labels = TestFiles.write(dir.resolve("labels"), TestFiles.idx(new int[] {3}, TestFiles.bytes(1, 10, 2)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxDataset.read("tiny", images, labels, DIGITS));
        assertEquals(labels + ": label 10 of sample 1 at byte 9 is out of range: expected 0 to 9 (10 classes)",
                e.getMessage());
    }

    @Test
    void rejectsImagesWithTheWrongNumberOfDimensions() {
        Path images = TestFiles.write(dir.resolve("images"), TestFiles.idx(new int[] {3, 8}, new byte[24]));
        Path labels = TestFiles.write(dir.resolve("labels"), threeLabels());
        DataFileException e = assertThrows(DataFileException.class, () -> IdxDataset.read("tiny", images, labels, DIGITS));
        assertEquals(images + ": expected 3 dimensions (count, rows, columns) for images, the header declares 2: [3, 8]",
                e.getMessage());
    }

    @Test
    void rejectsImagesWithoutRowsOrColumns() {
        Path images = TestFiles.write(dir.resolve("images"), TestFiles.idx(new int[] {3, 0, 4}, new byte[0]));
        Path labels = TestFiles.write(dir.resolve("labels"), threeLabels());
        DataFileException e = assertThrows(DataFileException.class, () -> IdxDataset.read("tiny", images, labels, DIGITS));
        assertEquals(images + ": the header declares images of 0 x 4 pixels (rows x columns, at bytes 8 to 15); an image"
                + " needs at least one row and one column", e.getMessage());
    }

    @Test
    void namesTheFileByItsFullPathWhenGivenARelativeOne() {
        Path missing = dir.resolve("missing");
        Path relative = Path.of("").toAbsolutePath().relativize(missing);
        assertEquals(missing + ": no such file",
                assertThrows(DataFileException.class, () -> IdxFile.read(relative, "image")).getMessage());
    }

    @Test
    void rejectsEmptyAndMissingFiles() {
        Path empty = TestFiles.write(dir.resolve("empty"), new byte[0]);
        assertEquals(empty + ": is empty (0 bytes)",
                assertThrows(DataFileException.class, () -> IdxFile.read(empty, "image")).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such file",
                assertThrows(DataFileException.class, () -> IdxFile.read(missing, "image")).getMessage());
    }

    @Test
    void rejectsDamagedGzipStream() {
        byte[] gz = TestFiles.gzip(threeImages());
        Path images = TestFiles.write(dir.resolve("images.gz"), TestFiles.truncate(gz, gz.length - 12));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(images, "image"));
        assertTrue(e.getMessage().startsWith(images + ": the gzip stream is damaged or truncated after "), e.getMessage());
    }
}
