package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes the CIFAR reader ({@link Cifar}), plain and gzipped, and CIFAR-100's class-name file, with the
 * property of {@link FuzzCampaign}: every damaged file is refused with a {@link DataFileException} naming
 * it, or read exactly as its bytes say.
 */
class CifarFuzzTest {
    private static final int RECORDS = 2;

    @TempDir
    Path dir;

    /** {@code RECORDS} records with {@code labelBytes} label bytes each (label k + record), pixels in a pattern. */
    private static byte[] records(int labelBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < RECORDS; r++) {
            for (int k = 0; k < labelBytes; k++) {
                out.write(k + r + 3);
            }
            out.writeBytes(TestFiles.pattern(Cifar.PIXEL_BYTES, r));
        }
        return out.toByteArray();
    }

    private static List<Field> labelFields(int labelBytes) {
        List<Field> fields = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            for (int k = 0; k < labelBytes; k++) {
                fields.add(Field.uint8("label byte " + k + " of record " + r, r * (labelBytes + Cifar.PIXEL_BYTES) + k));
            }
        }
        return fields;
    }

    /**
     * Checks that {@code d} holds exactly the records of {@code stored}: the label in byte {@code labelByte}
     * of each record and its pixels.
     */
    private static void assertRecords(byte[] stored, int labelBytes, int labelByte, Dataset d) {
        byte[] b = TestFiles.gunzipIfGzip(stored);
        int recordBytes = labelBytes + Cifar.PIXEL_BYTES;
        assertEquals(b.length / recordBytes, d.size());
        for (int r = 0; r < d.size(); r++) {
            assertEquals(b[r * recordBytes + labelByte] & 0xFF, d.label(r));
            assertArrayEquals(Arrays.copyOfRange(b, r * recordBytes + labelBytes, (r + 1) * recordBytes), d.pixels(r));
        }
    }

    private void fuzzCifar10(FuzzCampaign campaign) {
        Path file = dir.resolve("data_batch_1.bin");
        campaign.fields(labelFields(1)).budget(Duration.ofMillis(300))
                .run(Refusal.naming(DataFileException.class, file.toString()),
                        stored -> Cifar.read10(TestFiles.write(file, stored)),
                        (stored, d) -> assertRecords(stored, 1, 0, d));
    }

    @Test
    void damagedCifar10FilesAreRefusedClearlyOrReadExactly() {
        fuzzCifar10(FuzzCampaign.of("CIFAR-10", records(1)));
        fuzzCifar10(FuzzCampaign.of("gzipped CIFAR-10", records(1)).encodedAs("gzip", TestFiles::gzip));
    }

    @Test
    void damagedCifar100FilesAreRefusedClearlyOrReadExactly() {
        Path file = dir.resolve("train.bin");
        FuzzCampaign.of("CIFAR-100", records(2)).fields(labelFields(2)).budget(Duration.ofMillis(300))
                .run(Refusal.naming(DataFileException.class, file.toString()),
                        stored -> Cifar.read100(Cifar.Labels.FINE, TestFiles.write(file, stored)),
                        (stored, d) -> assertRecords(stored, 2, 1, d));
    }

    @Test
    void damagedCifar100ClassNameFilesAreRefusedClearlyOrReadExactly() {
        Path file = TestFiles.write(dir.resolve("train.bin"), records(2));
        Path names = dir.resolve("fine_label_names.txt");
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            text.append("class_").append(k).append('\n');
        }
        FuzzCampaign.of("CIFAR-100 class names", text.toString().getBytes(StandardCharsets.UTF_8))
                .budget(Duration.ofMillis(200))
                .run(Refusal.naming(DataFileException.class, names.toString()),
                        stored -> {
                            TestFiles.write(names, stored);
                            return Cifar.read100(Cifar.Labels.FINE, file);
                        },
                        (stored, d) -> assertEquals(new String(stored, StandardCharsets.UTF_8).lines().map(String::strip)
                                .filter(s -> !s.isEmpty()).toList(), d.classNames()));
    }

    @Test
    void refusesAClassNameFileThatIsNotUtf8Text() {
        Path file = TestFiles.write(dir.resolve("train.bin"), records(2));
        Path names = TestFiles.write(dir.resolve("fine_label_names.txt"), TestFiles.bytes('a', 0xFF, '\n'));
        DataFileException e = assertThrows(DataFileException.class, () -> Cifar.read100(Cifar.Labels.FINE, file));
        assertEquals(names + ": is not UTF-8 text (byte 1 is not valid UTF-8); it should hold the 100 fine class"
                + " names, one per line", e.getMessage());
    }
}
