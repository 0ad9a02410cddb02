package vista.nn.weights.torch;

import java.io.IOException;

/**
 * A PyTorch weight file that Vista refuses: malformed, truncated, hostile or not a checkpoint at all.
 * The message names the file (and the entry inside an archive) and says what is wrong.
 */
public final class WeightFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code where} is the file, or the file and an entry in it; {@code problem} says what is wrong. */
    public WeightFileException(String where, String problem) {
        super(where + ": " + problem);
    }

    /** The same, keeping the I/O error that revealed the problem. */
    public WeightFileException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
    }
}
