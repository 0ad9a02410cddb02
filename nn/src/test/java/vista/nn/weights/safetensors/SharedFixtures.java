package vista.nn.weights.safetensors;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The checkpoint fixtures written by PyTorch (../shared/peer/checkpoints.py), from the project's copy in
 * the test resources ({@code fixtures/checkpoints/CASE/FILE}).
 */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The file {@code file} of the checkpoint case {@code caseName}. */
    static Path checkpoint(String caseName, String file) {
        URL resource = SharedFixtures.class.getResource("/fixtures/checkpoints/" + caseName + "/" + file);
        if (resource == null) {
            throw new IllegalStateException("the checkpoint fixture " + caseName + "/" + file
                    + " is not in the test resources (nn/src/test/resources/fixtures/checkpoints)");
        }
        try {
            return Path.of(resource.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test resource " + resource + " has no file path", e);
        }
    }
}
