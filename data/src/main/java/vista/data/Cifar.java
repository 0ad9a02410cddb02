package vista.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009) into a {@link Dataset} of
 * 3 x 32 x 32 images.
 *
 * <p>The format: a file is a sequence of fixed-size records with no header.
 * <pre>
 *   CIFAR-10  record, 3073 bytes: 1 label byte (0..9), then 3072 pixel bytes
 *   CIFAR-100 record, 3074 bytes: 1 coarse label byte (0..19), 1 fine label byte (0..99), then 3072 pixel bytes
 *   pixel bytes: the red plane, then green, then blue; each plane 32 x 32, row-major
 * </pre>
 * The pixel bytes are already in Vista's CHW order and are copied as they are. Several files (for
 * example {@code data_batch_1.bin} to {@code data_batch_5.bin}) are joined in the order given.
 * A file whose length is not a whole number of records, or a label out of range, is a
 * {@link DataFileException} naming the file, the record and its byte offset. Gzip is decompressed
 * transparently.
 *
 * <p>Class names: CIFAR-10's are built in. CIFAR-100's are read from {@code fine_label_names.txt} or
 * {@code coarse_label_names.txt} (one name per line, as shipped in {@code cifar-100-binary}) in the folder
 * of the first data file; without that file the classes are named by number ("0", "1", ...).
 */
public final class Cifar {
    /** The images' geometry: 3 channels of 32 x 32. */
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    static final int PIXEL_BYTES = CHANNELS * SIZE * SIZE;
    /**
     * The most bytes one file may decompress to: CIFAR-100's training file, 50,000 records of two label
     * bytes and the pixels, the largest of either version (a bound against gzip bombs).
     */
    static final long MAX_FILE_BYTES = 50_000L * (2 + PIXEL_BYTES);

    /** CIFAR-10's class names, indexed by label. */
    public static final List<String> CIFAR10_CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Which of CIFAR-100's two labels a data set uses. */
    public enum Labels {
        /** The 20 superclasses (first label byte). */
        COARSE(20, "coarse_label_names.txt"),
        /** The 100 classes (second label byte). */
        FINE(100, "fine_label_names.txt");

        private final int classes;
        private final String namesFile;

        Labels(int classes, String namesFile) {
            this.classes = classes;
            this.namesFile = namesFile;
        }

        public int classes() {
            return classes;
        }
    }

    private Cifar() {
    }

    /** CIFAR-10 records from {@code files}, joined in order. */
    public static Dataset read10(Path... files) throws DataFileException {
        return read("CIFAR-10", files, 1, 0, CIFAR10_CLASS_NAMES);
    }

    /** CIFAR-100 records from {@code files}, joined in order, labelled with the {@code labels} of choice. */
    public static Dataset read100(Labels labels, Path... files) throws DataFileException {
        List<String> names = cifar100Names(labels, files);
        return read("CIFAR-100 (" + labels.name().toLowerCase() + " labels)", files, 2,
                labels == Labels.COARSE ? 0 : 1, names);
    }

    private static Dataset read(String name, Path[] files, int labelBytes, int labelByte, List<String> classNames)
            throws DataFileException {
        if (files.length == 0) {
            throw new IllegalArgumentException(name + ": no file given");
        }
        int recordBytes = labelBytes + PIXEL_BYTES;
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            byte[] b = DataFiles.readAll(file, head -> MAX_FILE_BYTES);
            if (b.length % recordBytes != 0) {
                long whole = b.length / recordBytes;
                throw new DataFileException(file, "truncated at byte " + b.length + ": record " + whole
                        + " (counting from 0) starts at byte " + whole * recordBytes + " and needs " + recordBytes
                        + " bytes, found " + (b.length - whole * recordBytes) + "; a " + name + " file is a sequence of "
                        + recordBytes + "-byte records (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "")
                        + ", then 1024 red, 1024 green and 1024 blue pixel bytes)");
            }
            for (int r = 0; r < b.length / recordBytes; r++) {
                int at = r * recordBytes + labelByte;
                int label = b[at] & 0xFF;
                if (label >= classNames.size()) {
                    throw new DataFileException(file, "label " + label + " of record " + r + " at byte " + at
                            + " is out of range: expected 0 to " + (classNames.size() - 1)
                            + " (" + classNames.size() + " classes)");
                }
            }
            contents.add(b);
            records += b.length / recordBytes;
            if (records * PIXEL_BYTES > DataFiles.MAX_ARRAY) {
                throw new DataFileException(file, "brings the total to " + records + " images of 3 x 32 x 32, more"
                        + " than one in-memory data set may hold (" + DataFiles.MAX_ARRAY / PIXEL_BYTES + ")");
            }
        }
        int n = (int) records;
        byte[] pixels = new byte[n * PIXEL_BYTES];
        int[] labels = new int[n];
        int i = 0;
        for (byte[] b : contents) {
            for (int r = 0; r < b.length / recordBytes; r++, i++) {
                labels[i] = b[r * recordBytes + labelByte] & 0xFF;
                System.arraycopy(b, r * recordBytes + labelBytes, pixels, i * PIXEL_BYTES, PIXEL_BYTES);
            }
        }
        return new Dataset(name, CHANNELS, SIZE, SIZE, pixels, labels, classNames);
    }

    private static List<String> cifar100Names(Labels labels, Path[] files) throws DataFileException {
        Path parent = files.length == 0 ? null : files[0].toAbsolutePath().getParent();
        Path namesFile = parent == null ? null : parent.resolve(labels.namesFile);
        if (namesFile == null || !Files.isRegularFile(namesFile)) {
            List<String> numbered = new ArrayList<>();
            for (int c = 0; c < labels.classes; c++) {
                numbered.add(Integer.toString(c));
            }
            return numbered;
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(namesFile));
        } catch (IOException e) {
            throw new DataFileException(namesFile, "cannot be read: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new DataFileException(namesFile, "is not UTF-8 text (byte " + bytes.position() + " is not valid"
                    + " UTF-8); it should hold the " + labels.classes + " " + labels.name().toLowerCase()
                    + " class names, one per line", e);
        }
        List<String> names = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != labels.classes) {
            throw new DataFileException(namesFile, "names " + names.size() + " classes, expected " + labels.classes);
        }
        return names;
    }
}
