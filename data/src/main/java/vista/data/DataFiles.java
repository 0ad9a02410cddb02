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
 */
final class DataFiles {
    private static final int GZIP_MAGIC_0 = 0x1F;
    private static final int GZIP_MAGIC_1 = 0x8B;
    /** The largest Java array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private DataFiles() {
    }

    /** The contents of {@code file}, decompressed if it is gzip; never empty. */
    static byte[] readAll(Path file) throws DataFileException {
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
        byte[] contents = gunzip(file, raw);
        if (contents.length == 0) {
            throw new DataFileException(file, "is an empty gzip stream (0 bytes after decompression)");
        }
        return contents;
    }

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == GZIP_MAGIC_0 && (bytes[1] & 0xFF) == GZIP_MAGIC_1;
    }

    private static byte[] gunzip(Path file, byte[] compressed) throws DataFileException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.clamp(2L * compressed.length, 1024, MAX_ARRAY));
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), buffer.length)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() > MAX_ARRAY - n) {
                    throw new DataFileException(file, "decompresses to more than the " + MAX_ARRAY
                            + " bytes that one in-memory data file may have");
                }
                out.write(buffer, 0, n);
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
