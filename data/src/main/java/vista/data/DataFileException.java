package vista.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that is missing, damaged or not in the format its reader expects.
 *
 * <p>Every reader in this package reports bad files with this one exception. The message is a sentence
 * that starts with the file (or folder) as an absolute path, then says what is wrong and, where a position matters, the
 * byte offset; offsets of gzip-compressed files count in the decompressed contents. Example:
 * {@code train-images-idx3-ubyte.gz: truncated at byte 1234: expected 47040000 bytes of image data for
 * 60000 x 28 x 28 after the 16-byte header, found 1218}.
 *
 * <p>Wrong arguments from the calling program (a batch size of 0, a crop larger than the image) are
 * {@link IllegalArgumentException}s instead: they are bugs, not bad files.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}; the message reads {@code "<file as an absolute path>: <problem>"}. */
    public DataFileException(Path file, String problem) {
        super(file.toAbsolutePath().normalize() + ": " + problem);
        this.file = file;
    }

    /** As {@link #DataFileException(Path, String)}, keeping the lower-level cause. */
    public DataFileException(Path file, String problem, Throwable cause) {
        super(file.toAbsolutePath().normalize() + ": " + problem, cause);
        this.file = file;
    }

    private DataFileException(DataFileException problem, String advice) {
        super(problem.getMessage() + advice, problem);
        this.file = problem.file;
    }

    /** This problem, its message followed by {@code advice} (how to get past it), with this as the cause. */
    public DataFileException withAdvice(String advice) {
        return new DataFileException(this, advice);
    }

    /** The file or folder the problem is about. */
    public Path file() {
        return file;
    }
}
