package vista.nn.weights.safetensors;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The checkpoint fixtures written by PyTorch (../shared/peer/checkpoints.py): first the copy in the test
 * resources ({@code fixtures/checkpoints/CASE/FILE}), else the shared folder
 * {@code /work/shared/fixtures/checkpoints}; a test is skipped, saying why, if neither has the file.
 */
final class SharedFixtures {
    private static final Path SHARED = Path.of("/work/shared/fixtures/checkpoints");

    private SharedFixtures() {
    }

    /** The file {@code file} of the checkpoint case {@code caseName}. */
    static Path checkpoint(String caseName, String file) {
        URL resource = SharedFixtures.class.getResource("/fixtures/checkpoints/" + caseName + "/" + file);
        if (resource != null) {
            try {
                return Path.of(resource.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("the test resource " + resource + " has no file path", e);
            }
        }
        Path shared = SHARED.resolve(caseName).resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(shared), "the checkpoint fixture " + caseName + "/" + file
                + " is neither in the test resources nor in " + SHARED);
        return shared;
    }
}
