package vista.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Mutation;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes the IDX reader ({@link IdxDataset} over {@link IdxFile}), plain and gzipped, with the property of
 * {@link FuzzCampaign}: every damaged image or label file is refused with a {@link DataFileException}
 * naming it, or read exactly as its bytes say, quickly and without allocating what its header claims.
 */
class IdxFuzzTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final int COUNT = 3;
    private static final int ROWS = 5;
    private static final int COLUMNS = 4;
    private static final byte[] LABELS = TestFiles.bytes(7, 0, 9);
    private static final byte[] IMAGES = TestFiles.idx(new int[] {COUNT, ROWS, COLUMNS},
            TestFiles.pattern(COUNT * ROWS * COLUMNS, 11));
    private static final byte[] LABEL_FILE = TestFiles.idx(new int[] {COUNT}, LABELS);

    @TempDir
    Path dir;

    private static List<Field> headerFields(String... dimensions) {
        List<Field> fields = new ArrayList<>(List.of(Field.uint8("type code", 2), Field.uint8("rank", 3)));
        for (int a = 0; a < dimensions.length; a++) {
            fields.add(Field.int32BigEndian(dimensions[a], 4 + 4 * a));
        }
        return fields;
    }

    /**
     * Whole IDX files whose header and data agree, for each of {@code shapes}: sizes such as 0 can only
     * be reached with data of the matching length, which a mutation of one field never gives.
     */
    private static List<Mutation> consistentFiles(int[]... shapes) {
        List<Mutation> files = new ArrayList<>();
        for (int[] dims : shapes) {
            int elements = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            files.add(new Mutation("replace with an IDX file of " + IdxFile.describe(dims, dims.length) + " bytes"
                    + " whose data fits its header", b -> TestFiles.idx(dims, TestFiles.pattern(elements, 5))));
        }
        return files;
    }

    /** The IDX image and label files that {@code d} was read from, re-encoded. */
    private static byte[][] reencode(Dataset d) {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        byte[] labels = new byte[d.size()];
        for (int i = 0; i < d.size(); i++) {
            pixels.writeBytes(d.pixels(i));
            labels[i] = (byte) d.label(i);
        }
        return new byte[][] {TestFiles.idx(new int[] {d.size(), d.height(), d.width()}, pixels.toByteArray()),
            TestFiles.idx(new int[] {d.size()}, labels)};
    }

    private void fuzzImages(FuzzCampaign campaign) {
        Path images = dir.resolve("images-idx3-ubyte");
        Path labels = TestFiles.write(dir.resolve("labels-idx1-ubyte"), LABEL_FILE);
        campaign.fields(headerFields("image count", "rows", "columns"))
                .mutations(consistentFiles(new int[] {3, 0, 4}, new int[] {3, 5, 0}, new int[] {0, 5, 4},
                        new int[] {0, 0, 0}, new int[] {3, 1, 1}, new int[] {3, 20}, new int[] {3, 5, 2, 2},
                        new int[] {60}, new int[] {4, 5, 4}, new int[] {2, 5, 4}))
                .budget(Duration.ofMillis(400))
                .run(Refusal.naming(DataFileException.class, images.toString()),
                        stored -> IdxDataset.read("fuzz", TestFiles.write(images, stored), labels, DIGITS),
                        (stored, d) -> {
                            assertArrayEquals(TestFiles.gunzipIfGzip(stored), reencode(d)[0]);
                            assertArrayEquals(LABEL_FILE, reencode(d)[1]);
                        });
    }

    private void fuzzLabels(FuzzCampaign campaign) {
        Path images = TestFiles.write(dir.resolve("images-idx3-ubyte"), IMAGES);
        Path labels = dir.resolve("labels-idx1-ubyte");
        campaign.fields(headerFields("label count"))
                .mutations(consistentFiles(new int[] {0}, new int[] {1}, new int[] {4}, new int[] {3, 1}))
                .budget(Duration.ofMillis(250))
                .run(Refusal.naming(DataFileException.class, labels.toString()),
                        stored -> IdxDataset.read("fuzz", images, TestFiles.write(labels, stored), DIGITS),
                        (stored, d) -> {
                            assertArrayEquals(IMAGES, reencode(d)[0]);
                            assertArrayEquals(TestFiles.gunzipIfGzip(stored), reencode(d)[1]);
                        });
    }

    @Test
    void damagedImageFilesAreRefusedClearlyOrReadExactly() {
        fuzzImages(FuzzCampaign.of("IDX images", IMAGES));
    }

    @Test
    void damagedGzippedImageFilesAreRefusedClearlyOrReadExactly() {
        fuzzImages(FuzzCampaign.of("gzipped IDX images", IMAGES).encodedAs("gzip", TestFiles::gzip));
    }

    @Test
    void damagedLabelFilesAreRefusedClearlyOrReadExactly() {
        fuzzLabels(FuzzCampaign.of("IDX labels", LABEL_FILE));
        fuzzLabels(FuzzCampaign.of("gzipped IDX labels", LABEL_FILE).encodedAs("gzip", TestFiles::gzip));
    }

    @Test
    void aHeaderClaimingTwoToThe30ImagesOfTwoToThe16BytesFailsFastNamingTheClaimAndTheFileSize() {
        Path images = TestFiles.write(dir.resolve("images-idx3-ubyte"),
                TestFiles.idx(new int[] {1 << 30, 256, 256}, new byte[100]));
        Path labels = TestFiles.write(dir.resolve("labels-idx1-ubyte"), LABEL_FILE);
        DataFileException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(
                DataFileException.class, () -> IdxDataset.read("huge", images, labels, DIGITS)));
        assertEquals(images + ": truncated at byte 116: expected 70368744177664 bytes of image data for"
                + " 1073741824 x 256 x 256 after the 16-byte header, found 100", e.getMessage());
    }
}
