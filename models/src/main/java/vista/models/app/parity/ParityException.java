package vista.models.app.parity;

/**
 * A parity case that cannot be run as written: a missing or malformed file, an attribute Vista does not
 * support, or parameter names that do not match what Vista builds. The message is a sentence that names
 * the file concerned. The runner reports it as the case's failure.
 */
public final class ParityException extends RuntimeException {
    public ParityException(String message) {
        super(message);
    }

    public ParityException(String message, Throwable cause) {
        super(message, cause);
    }
}
