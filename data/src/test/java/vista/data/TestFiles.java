package vista.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Small data files that tests write themselves. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX file of unsigned bytes: magic 0x0000 08 rank, the sizes, then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code data} decompressed if it starts with the gzip magic bytes, else {@code data} itself. */
    static byte[] gunzipIfGzip(byte[] data) {
        if (!DataFiles.isGzip(data)) {
            return data;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] contents) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, contents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] truncate(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    /** Pixel bytes {@code (seed + 7 i) mod 256} for i = 0, 1, ... */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + 7 * i);
        }
        return b;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A data set of {@code n} samples with pixel pattern and labels {@code i mod classes}. */
    static Dataset dataset(int n, int channels, int height, int width, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        String[] names = new String[classes];
        for (int k = 0; k < classes; k++) {
            names[k] = "class " + k;
        }
        return new Dataset("test set", channels, height, width, pattern(n * channels * height * width, 3), labels,
                Arrays.asList(names));
    }
}
