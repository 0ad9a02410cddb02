package vista.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a whole data file into memory, decompressing gzip transparently.
 *
 * <p>A file is gzip-compressed when it starts with the gzip magic bytes {@code 1F 8B}, whatever its name
 * ends with: a gzipped file renamed without {@code .gz} still reads, and an uncompressed file named
 * {@code .gz} is read as it is. Missing, empty and damaged files are {@link DataFileException}s.
 *
 * <p>Decompression is bounded by what the format allows ({@link SizeLimit}): a small hostile {@code .gz}
 * (a "gzip bomb") that would decompress to gigabytes is refused after the size its own header declares,
 * before the heap fills.
 */
final class DataFiles {
    private static final int GZIP_MAGIC_0 = 0x1F;
    private static final int GZIP_MAGIC_1 = 0x8B;
    /** The largest Java array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Bytes decompressed before the format is asked for its limit: enough for any header Vista reads. */
    static final int HEAD_BYTES = 1024;

    private DataFiles() {
    }

    /** The most bytes a file's contents may have, decided from its first decompressed bytes. */
    @FunctionalInterface
    interface SizeLimit {
        /**
         * The limit, given the first {@code min(HEAD_BYTES, size)} bytes of the contents; a header too
         * short or invalid to tell may return {@code head.length} or more (the reader then reports it).
         */
        long maxBytes(byte[] head);
    }

    /**
     * The contents of {@code file}, decompressed if it is gzip, at most {@code limit}'s size; never empty.
     *
     * @throws DataFileException naming the file if it is missing, empty, damaged, or decompresses to more
     *     than its limit
     */
    static byte[] readAll(Path file, SizeLimit limit) throws DataFileException {
        if (!Files.exists(file)) {
            throw new DataFileException(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new DataFileException(file, "is a folder, expected a data file");
        }
        byte[] raw;
        try {
            long size = Files.size(file);
            if (size > MAX_ARRAY) {
                throw new DataFileException(file, "holds " + size + " bytes, more than the " + MAX_ARRAY
                        + " that one in-memory data file may have");
            }
            raw = Files.readAllBytes(file);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (raw.length == 0) {
            throw new DataFileException(file, "is empty (0 bytes)");
        }
        if (!isGzip(raw)) {
            return raw;
        }
        byte[] contents = gunzip(file, raw, limit);
        if (contents.length == 0) {
            throw new DataFileException(file, "is an empty gzip stream (0 bytes after decompression)");
        }
        return contents;
    }

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == GZIP_MAGIC_0 && (bytes[1] & 0xFF) == GZIP_MAGIC_1;
    }

    private static byte[] gunzip(Path file, byte[] compressed, SizeLimit limit) throws DataFileException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.clamp(2L * compressed.length, 1024, MAX_ARRAY));
        byte[] buffer = new byte[1 << 16];
        long bound = MAX_ARRAY;
        boolean headSeen = false;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), buffer.length)) {
            int n;
            while ((n = in.read(buffer, 0, headSeen ? buffer.length : HEAD_BYTES - out.size())) > 0) {
                if (out.size() > bound - n) {
                    throw new DataFileException(file, "decompresses to more than the " + bound + " bytes "
                            + (bound < MAX_ARRAY ? "its header declares" : "that one in-memory data file may have")
                            + "; the file is damaged or is not the data it claims to be");
                }
                out.write(buffer, 0, n);
                if (!headSeen && out.size() == HEAD_BYTES) {
                    headSeen = true;
                    bound = Math.clamp(limit.maxBytes(out.toByteArray()), HEAD_BYTES, MAX_ARRAY);
                }
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(file, "the gzip stream is damaged or truncated after "
                    + out.size() + " decompressed bytes (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }
}
