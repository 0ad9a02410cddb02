package vista.nn.weights.torch;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The PyTorch-written checkpoint fixtures, copied from ../shared/fixtures/checkpoints into the test resources. */
final class CheckpointFixtures {
    /** The marker file that a hostile fixture would create if anything it names ran. */
    static final Path MARKER = Path.of("/tmp/vista-checkpoint-fixture-executed-11");

    private CheckpointFixtures() {
    }

    /** The file {@code name} of case {@code caseName}. */
    static Path file(String caseName, String name) {
        try {
            return Path.of(CheckpointFixtures.class.getResource("/fixtures/checkpoints/index.json").toURI())
                    .getParent().resolve(caseName).resolve(name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
