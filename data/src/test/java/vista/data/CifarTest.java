package vista.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {
    @TempDir
    Path dir;

    /** One record: the label bytes, then red plane = 10 + p, green = 20 + p, blue = 30 + p (mod 256) at pixel p. */
    private static byte[] record(int... labels) {
        byte[] r = new byte[labels.length + 3072];
        for (int k = 0; k < labels.length; k++) {
            r[k] = (byte) labels[k];
        }
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                r[labels.length + c * 1024 + p] = (byte) (10 * (c + 1) + p);
            }
        }
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void readsCifar10RecordsAsRedGreenBluePlanes() throws Exception {
        Path a = TestFiles.write(dir.resolve("data_batch_1.bin"), concat(record(3), record(9)));
        Path b = TestFiles.write(dir.resolve("data_batch_2.bin"), record(0));
        Dataset d = Cifar.read10(a, b);
        assertEquals(3, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(List.of(3, 9, 0), List.of(d.label(0), d.label(1), d.label(2)));
        assertEquals("cat", d.classNames().get(d.label(0)));
        // Pixel (row 1, column 2) is p = 34: red 44, green 54, blue 64.
        assertEquals(44, d.pixel(1, 0, 1, 2));
        assertEquals(54, d.pixel(1, 1, 1, 2));
        assertEquals(64, d.pixel(1, 2, 1, 2));
        assertEquals((30 + 1023) & 0xFF, d.pixel(2, 2, 31, 31));
    }

    @Test
    void readsCifar100CoarseOrFineLabels() throws Exception {
        Path file = TestFiles.write(dir.resolve("train.bin"), concat(record(4, 72), record(19, 99)));
        Dataset coarse = Cifar.read100(Cifar.Labels.COARSE, file);
        Dataset fine = Cifar.read100(Cifar.Labels.FINE, file);
        assertEquals(20, coarse.numClasses());
        assertEquals(100, fine.numClasses());
        assertEquals(List.of(4, 19), List.of(coarse.label(0), coarse.label(1)));
        assertEquals(List.of(72, 99), List.of(fine.label(0), fine.label(1)));
        assertEquals(54, fine.pixel(0, 1, 1, 2));
        assertEquals("72", fine.classNames().get(72));
    }

    @Test
    void readsCifar100ClassNamesFromTheMetaFile() throws Exception {
        Path file = TestFiles.write(dir.resolve("test.bin"), record(1, 2));
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < 20; k++) {
            names.append("super").append(k).append('\n');
        }
        Files.writeString(dir.resolve("coarse_label_names.txt"), names + "\n");
        assertEquals("super1", Cifar.read100(Cifar.Labels.COARSE, file).classNames().get(1));
    }

    @Test
    void rejectsTruncatedCifarFile() {
        byte[] two = concat(record(1), record(2));
        Path file = TestFiles.write(dir.resolve("data_batch_1.bin"), TestFiles.truncate(two, two.length - 100));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read10(file));
        assertEquals(file + ": truncated at byte 6046: record 1 (counting from 0) starts at byte 3073 and needs 3073"
                + " bytes, found 2973; a CIFAR-10 file is a sequence of 3073-byte records (1 label byte, then 1024 red,"
                + " 1024 green and 1024 blue pixel bytes)", e.getMessage());
    }

    @Test
    void rejectsCifarLabelOutOfRange() {
        Path file = TestFiles.write(dir.resolve("data_batch_1.bin"), concat(record(1), record(10)));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read10(file));
        assertEquals(file + ": label 10 of record 1 at byte 3073 is out of range: expected 0 to 9 (10 classes)",
                e.getMessage());
        Path hundred = TestFiles.write(dir.resolve("train.bin"), record(20, 5));
        assertThrows(DataFileException.class, () -> Cifar.read100(Cifar.Labels.COARSE, hundred));
    }
}
