package vista.nn.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every file Vista writes (checkpoints, manifests, metrics, configs, pictures) is written here, so that
 * neither a crash nor a symbolic link planted in the target's folder can do harm. The guarantees:
 * <ul>
 *   <li>the bytes go to a <b>new temporary file</b> in the target's folder, named
 *       {@code .NAME.<16 random hex digits>.tmp} (random from {@link SecureRandom}: no one can plant
 *       anything at the name in advance), created with {@link StandardOpenOption#CREATE_NEW} and
 *       {@link LinkOption#NOFOLLOW_LINKS} ({@code O_CREAT | O_EXCL | O_NOFOLLOW}): it is never an existing
 *       file and never opened through a link; it gets the permissions of any new file (the umask's);</li>
 *   <li>the temporary file is <b>forced to disk</b> before the rename, and the folder after it (best
 *       effort: not every platform can force a folder);</li>
 *   <li>the temporary file is <b>renamed</b> to the target's name in one step ({@code rename(2)}): a reader
 *       sees the old file or the new one, never half of one; whatever is at the name is replaced, and
 *       if that is a symbolic link, the link itself is replaced: nothing is ever written through it;</li>
 *   <li>on any failure the temporary file is deleted and the target is untouched;</li>
 *   <li>{@link #append} rewrites the whole file the same way (the old bytes are read, following a link
 *       at the name, which changes nothing; the result replaces the name);</li>
 *   <li>a temporary file left by a killed process is recognised by its name ({@link #isTemporaryOf}) and
 *       removed by {@link #removeStaleTemporaries}, which never follows a link either.</li>
 * </ul>
 * Errors are sentences that name the file and the reason.
 */
public final class AtomicFiles {
    /** What goes into a file: writes the bytes to {@code out} (the caller need not close it). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 8;
    private static final String SUFFIX = ".tmp";
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private AtomicFiles() {
    }

    /**
     * Writes what {@code content} writes to {@code file}, with the guarantees of the class comment.
     *
     * @throws IOException naming {@code file} if it is a folder, its folder does not exist or may not be
     *     written, or writing fails (then any previous file at the name is unchanged)
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write " + target + ": it is a folder; expected the name of a file");
        }
        Path temporary = folder.resolve(temporaryName(target.getFileName().toString()));
        boolean created = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, CREATE_NEW)) {
                created = true;
                OutputStream stream = Channels.newOutputStream(channel);
                content.writeTo(stream);
                stream.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            IOException failure = failure(target, e);
            if (created) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException notDeleted) {
                    failure.addSuppressed(notDeleted);
                }
            }
            throw failure;
        }
        forceFolder(folder);
    }

    /** Writes {@code text} in UTF-8 to {@code file}, as {@link #write}. */
    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> out.write(bytes));
    }

    /**
     * Replaces {@code file} with its bytes (none if it does not exist) followed by {@code text} in UTF-8,
     * as {@link #write}: an append that never writes through a link and never leaves half a line.
     */
    public static void append(Path file, String text) throws IOException {
        byte[] old;
        try {
            old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new IOException("cannot append to " + file.toAbsolutePath() + ": reading it failed ("
                    + reason(e) + ")", e);
        }
        byte[] more = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> {
            out.write(old);
            out.write(more);
        });
    }

    /**
     * Creates {@code folder} and its missing parents.
     *
     * @throws IOException naming the folder, and the part of its path that is a file if one is
     */
    public static void createFolders(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IOException("cannot create the folder " + absolute + ": " + existing + " is a file, not a folder");
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + absolute + " (" + reason(e) + ")", e);
        }
    }

    /**
     * Whether {@code name} is the name of a temporary file of {@link #write} for a file named
     * {@code finalName}: {@code .finalName.<hex digits>.tmp}, or {@code .finalName.tmp} as earlier
     * versions named them (their process id in decimal is such a run of hex digits).
     */
    public static boolean isTemporaryOf(String name, String finalName) {
        return Pattern.matches("\\." + Pattern.quote(finalName) + "(\\.[0-9a-f]{1,32})?" + Pattern.quote(SUFFIX), name);
    }

    /**
     * Deletes the temporary files for the files named {@code finalNames} in {@code folder}
     * ({@link #isTemporaryOf}), which a process killed while writing leaves behind. A link at such a name
     * is deleted itself, never what it points to; a folder at such a name is left alone. Returns the
     * paths deleted.
     */
    public static List<Path> removeStaleTemporaries(Path folder, Collection<String> finalNames) throws IOException {
        List<Path> removed = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> listed = Files.list(folder)) {
            entries = listed.toList();
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (finalNames.stream().noneMatch(finalName -> isTemporaryOf(name, finalName))) {
                continue;
            }
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory() && Files.deleteIfExists(entry)) {
                removed.add(entry);
            }
        }
        return removed;
    }

    private static String temporaryName(String finalName) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return "." + finalName + "." + HexFormat.of().formatHex(random) + SUFFIX;
    }

    /** The sentence for a write of {@code target} that failed with {@code e}: what happened and what to do. */
    private static IOException failure(Path target, Exception e) {
        Path folder = target.getParent();
        String reason = reason(e);
        String sentence;
        if (e instanceof NoSuchFileException && !Files.isDirectory(folder)) {
            sentence = "cannot write " + target + ": the folder " + folder + " does not exist";
        } else if (e instanceof AccessDeniedException) {
            sentence = "cannot write " + target + ": this user may not create or replace files in " + folder
                    + " (permission denied); make the folder writable, or write to another folder";
        } else if ("Read-only file system".equals(reason)) {
            sentence = "cannot write " + target + ": the folder " + folder + " is on a read-only file system;"
                    + " write to another folder";
        } else {
            sentence = "writing " + target + " failed (" + reason + ")";
        }
        return new IOException(sentence + "; any previous file there is unchanged", e);
    }

    /** The reason of a failure without the paths a {@link FileSystemException} adds to its message. */
    private static String reason(Exception e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /** Best effort: makes the rename durable by forcing the folder (not possible on every platform). */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some systems cannot open or force a folder; the file itself is already on disk.
        }
    }
}
