package vista.nn.weights.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read or written: the message is a sentence that names the file
 * (its full path), the tensor when one is at fault, what is wrong, and what to do.
 */
public final class SafetensorsException extends IOException {
    SafetensorsException(Path file, String what) {
        super(file.toAbsolutePath() + ": " + what);
    }

    SafetensorsException(Path file, String what, Throwable cause) {
        super(file.toAbsolutePath() + ": " + what, cause);
    }
}
