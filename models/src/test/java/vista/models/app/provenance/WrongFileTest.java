package vista.models.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.cli.Cli;
import vista.models.app.train.RunDirectory;
import vista.nn.checkpoint.Checkpoint;

/**
 * {@code vista replay} and {@code vista verify} given the wrong kind of file (a checkpoint for a manifest,
 * a manifest for a checkpoint, a folder, bytes that are not text) answer with a sentence that names the
 * file and what was expected.
 */
class WrongFileTest {
    @TempDir
    Path run;
    private Path checkpoint;
    private Path manifest;

    @BeforeEach
    void aRunFolder() throws IOException {
        checkpoint = run.resolve(RunDirectory.CHECKPOINT);
        new Checkpoint(Map.of("model", "resnet26-mini"), 1, 1, Map.of(), Map.of(), Map.of()).write(checkpoint);
        manifest = Files.writeString(run.resolve(RunManifest.FILE), "{\"format\": \"" + RunManifest.FORMAT + "\"}");
    }

    private static Cli.Outcome fails(String... args) {
        Cli.Outcome outcome = Cli.vista(args);
        assertEquals(1, outcome.status(), outcome::toString);
        return outcome;
    }

    @Test
    void replayGivenACheckpointAsksForTheManifest() {
        Cli.Outcome replay = fails("replay", checkpoint.toString());
        assertTrue(replay.err().contains(checkpoint + " is a Vista checkpoint, not a run manifest; give the run's "
                + manifest), replay::toString);
    }

    @Test
    void verifyGivenACheckpointAsManifestAsksForTheManifest() {
        Cli.Outcome verify = fails("verify", checkpoint.toString(), "--manifest", checkpoint.toString());
        assertTrue(verify.err().contains(checkpoint + " is a Vista checkpoint, not a run manifest"), verify::toString);
    }

    @Test
    void verifyGivenAManifestAsCheckpointAsksForTheCheckpoint() {
        Cli.Outcome verify = fails("verify", manifest.toString());
        assertTrue(verify.err().contains(manifest + " is a JSON file, not a checkpoint; give the run's "
                + checkpoint), verify::toString);
    }

    @Test
    void replayAndVerifyGivenBinaryBytesSayTheFileIsNotAManifest() throws IOException {
        Path binary = Files.write(run.resolve("noise.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        Cli.Outcome replay = fails("replay", binary.toString());
        assertTrue(replay.err().contains(binary + " is not a run manifest: it is not UTF-8 text"), replay::toString);
        Cli.Outcome verify = fails("verify", checkpoint.toString(), "--manifest", binary.toString());
        assertTrue(verify.err().contains(binary + " is not a run manifest: it is not UTF-8 text"), verify::toString);
    }

    @Test
    void replayAndVerifyGivenTheRunFolderNameTheFileInIt() {
        Cli.Outcome verify = fails("verify", run.toString());
        assertTrue(verify.err().contains(run + " is a folder, not a checkpoint; give the checkpoint in it: "
                + checkpoint), verify::toString);
        Cli.Outcome replay = fails("replay", run.toString());
        assertTrue(replay.err().contains(run + " is a folder, not a run manifest; give the manifest in it: "
                + manifest), replay::toString);
        Cli.Outcome verifyManifest = fails("verify", checkpoint.toString(), "--manifest", run.toString());
        assertTrue(verifyManifest.err().contains(run + " is a folder, not a run manifest"), verifyManifest::toString);
    }
}
