package vista.nn.weights.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The format of {@code torch.save} since PyTorch 1.6: a zip archive whose entries sit under one folder
 * ({@code <archive>/}, named after the file when it was saved): {@code data.pkl}, the object pickle, whose
 * persistent ids name storages; {@code data/<key>}, each storage's raw little-endian bytes;
 * {@code byteorder} ({@code little}), {@code version} and a few others that Vista does not need.
 *
 * <p>Entries must be stored uncompressed, as torch writes them, and each storage entry must hold exactly
 * the bytes its storage claims; a truncated archive (no central directory) is refused before anything
 * is read.
 */
final class ZipArchive implements TorchArchive {
    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final Object root;
    private final Map<String, ByteBuffer> read = new HashMap<>();

    private ZipArchive(Path file, ZipFile zip, String prefix, Object root) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.root = root;
    }

    /** Opens {@code file} and interprets its {@code data.pkl}. */
    static ZipArchive open(Path file) throws WeightFileException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new WeightFileException(file.toString(), "not a complete zip archive (" + e.getMessage()
                    + "): the file is truncated or damaged; copy or download it again");
        }
        try {
            String pickle = dataPkl(file, zip);
            String prefix = pickle.substring(0, pickle.length() - "data.pkl".length());
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null && !"little".equals(new String(entry(file, zip, byteorder), StandardCharsets.US_ASCII).trim())) {
                throw new WeightFileException(file.toString(), "the archive's storages are not little-endian");
            }
            Object root = Unpickler.load(file + " (entry " + pickle + ")",
                    ByteBuffer.wrap(entry(file, zip, zip.getEntry(pickle))), new LinkedHashMap<>());
            return new ZipArchive(file, zip, prefix, root);
        } catch (WeightFileException | RuntimeException e) {
            closeQuietly(zip);
            throw e;
        } catch (IOException e) {
            closeQuietly(zip);
            throw new WeightFileException(file.toString(), "unreadable: " + e.getMessage(), e);
        }
    }

    private static String dataPkl(Path file, ZipFile zip) throws WeightFileException {
        List<String> found = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                found.add(name);
            }
        }
        if (found.size() != 1) {
            throw new WeightFileException(file.toString(), "a zip archive but not a PyTorch checkpoint: expected one"
                    + " <archive>/data.pkl entry, found " + found.size());
        }
        return found.get(0);
    }

    private static byte[] entry(Path file, ZipFile zip, ZipEntry e) throws IOException {
        String where = file + " (entry " + e.getName() + ")";
        if (e.getMethod() != ZipEntry.STORED) {
            throw new WeightFileException(where, "compressed, but torch.save stores entries uncompressed");
        }
        long size = e.getSize();
        if (size < 0 || size > Files.size(file)) {
            throw new WeightFileException(where, "claims " + size + " bytes in a file of " + Files.size(file));
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size) {
                throw new WeightFileException(where, "truncated: " + bytes.length + " of " + size + " bytes");
            }
            return bytes;
        } catch (WeightFileException x) {
            throw x;
        } catch (IOException x) {
            throw new WeightFileException(where, "unreadable, the archive is damaged or truncated ("
                    + (x.getMessage() == null ? "its data ends early" : x.getMessage()) + ")", x);
        }
    }

    @Override
    public String where() {
        return file.toString();
    }

    @Override
    public Object root() {
        return root;
    }

    @Override
    public ByteBuffer storage(StorageRef storage) throws WeightFileException {
        ByteBuffer cached = read.get(storage.key());
        if (cached != null) {
            return cached;
        }
        String name = prefix + "data/" + storage.key();
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new WeightFileException(file.toString(), "storage '" + storage.key() + "' has no entry " + name);
        }
        if (storage.byteLength() != e.getSize()) {
            throw new WeightFileException(file + " (entry " + name + ")", "holds " + e.getSize() + " bytes but its"
                    + " storage claims " + storage.elements() + " " + storage.type().className() + " elements");
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(entry(file, zip, e));
            read.put(storage.key(), bytes);
            return bytes;
        } catch (WeightFileException x) {
            throw x;
        } catch (IOException x) {
            throw new WeightFileException(file + " (entry " + name + ")", "unreadable: " + x.getMessage(), x);
        }
    }

    @Override
    public void close() throws WeightFileException {
        try {
            zip.close();
        } catch (IOException e) {
            throw new WeightFileException(file.toString(), "could not be closed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // the error being reported is the one that matters
        }
    }
}
