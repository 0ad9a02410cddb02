package vista.data;

import java.math.BigInteger;
import java.nio.file.Path;

/**
 * One IDX file (the format of MNIST and Fashion-MNIST), read whole into memory.
 *
 * <p>The format, all integers big-endian:
 * <pre>
 *   byte 0-1   0x00 0x00                      (the first two bytes of the magic number)
 *   byte 2     type code: 0x08 unsigned byte  (the only type Vista reads; 0x09 signed byte,
 *                                              0x0B short, 0x0C int, 0x0D float, 0x0E double are rejected)
 *   byte 3     number of dimensions r (at least 1)
 *   byte 4..   r sizes, 4 bytes each, outermost first
 *   then       the product of the sizes, one byte per element, row-major
 * </pre>
 * For MNIST-like images the magic number is {@code 0x00000803} (count, rows, columns), for labels
 * {@code 0x00000801} (count). Gzip is decompressed transparently (see {@link DataFiles}). The file must
 * hold exactly the data its header declares: truncated data and bytes after the data are both
 * {@link DataFileException}s naming the file and the byte offset.
 *
 * @param file       where it was read from (named in errors)
 * @param dims       the sizes from the header, outermost first
 * @param bytes      the whole (decompressed) file
 * @param dataOffset where the data begins in {@code bytes}: {@code 4 + 4 * dims.length}
 */
record IdxFile(Path file, int[] dims, byte[] bytes, int dataOffset) {
    static final int UNSIGNED_BYTE = 0x08;

    /**
     * The size of the file {@code head} begins, as its header declares it ({@code 4 + 4 r + } the product
     * of the sizes, one byte each), or {@code head.length} when the header is incomplete; saturates at
     * {@code Long.MAX_VALUE}.
     */
    static long declaredBytes(byte[] head) {
        if (head.length < 4 || head.length < 4 + 4 * (head[3] & 0xFF)) {
            return head.length;
        }
        int rank = head[3] & 0xFF;
        long total = 1;
        for (int a = 0; a < rank; a++) {
            long size = Integer.toUnsignedLong(readInt(head, 4 + 4 * a));
            total = size != 0 && total > Long.MAX_VALUE / size ? Long.MAX_VALUE : total * size;
        }
        return total > Long.MAX_VALUE - (4 + 4L * rank) ? Long.MAX_VALUE : total + 4 + 4L * rank;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @param contents what the data is, for messages: {@code "image"} or {@code "label"}
     */
    static IdxFile read(Path file, String contents) throws DataFileException {
        byte[] b = DataFiles.readAll(file, IdxFile::declaredBytes);
        if (b.length < 4) {
            throw new DataFileException(file, "truncated at byte " + b.length
                    + ": expected the 4-byte IDX magic number, found " + b.length + " bytes");
        }
        if (b[0] != 0 || b[1] != 0) {
            throw new DataFileException(file, String.format(
                    "wrong magic number 0x%08X at byte 0: an IDX file starts with two zero bytes, a type code"
                            + " and the number of dimensions (0x00000803 for images, 0x00000801 for labels)",
                    readInt(b, 0)));
        }
        int type = b[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataFileException(file, String.format(
                    "unsupported IDX type code 0x%02X (%s) at byte 2: Vista reads only 0x08 (unsigned byte)",
                    type, typeName(type)));
        }
        int rank = b[3] & 0xFF;
        if (rank == 0) {
            throw new DataFileException(file, "the IDX header declares 0 dimensions at byte 3; expected at least 1");
        }
        int headerBytes = 4 + 4 * rank;
        if (b.length < headerBytes) {
            throw new DataFileException(file, "truncated at byte " + b.length + ": expected a " + headerBytes
                    + "-byte IDX header for " + rank + " dimensions, found " + b.length + " bytes");
        }
        int[] dims = new int[rank];
        BigInteger elements = BigInteger.ONE; // exact: 255 sizes below 2^31 overflow a long
        for (int a = 0; a < rank; a++) {
            dims[a] = readInt(b, 4 + 4 * a);
            if (dims[a] < 0) {
                throw new DataFileException(file, "dimension " + a + " at byte " + (4 + 4 * a)
                        + " is " + Integer.toUnsignedLong(dims[a]) + ", too large for an in-memory data set");
            }
            elements = elements.multiply(BigInteger.valueOf(dims[a]));
        }
        long found = b.length - (long) headerBytes;
        if (elements.compareTo(BigInteger.valueOf(found)) > 0) {
            throw new DataFileException(file, "truncated at byte " + b.length + ": expected " + elements
                    + " bytes of " + contents + " data for " + describe(dims, rank) + " after the "
                    + headerBytes + "-byte header, found " + found);
        }
        long declared = elements.longValue();
        if (found > declared) {
            throw new DataFileException(file, (found - declared) + " unexpected bytes after the end of the "
                    + contents + " data at byte " + (headerBytes + declared) + " (the header declares "
                    + describe(dims, rank) + ")");
        }
        return new IdxFile(file, dims, b, headerBytes);
    }

    /** The unsigned byte of element {@code i} (row-major). */
    int get(int i) {
        return bytes[dataOffset + i] & 0xFF;
    }

    /** "60000 x 28 x 28" for the first {@code count} dimensions. */
    static String describe(int[] dims, int count) {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < count; a++) {
            sb.append(a == 0 ? "" : " x ").append(dims[a]);
        }
        return sb.toString();
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }
}
