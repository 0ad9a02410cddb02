package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile and broken torch-format fixtures are refused with a message that names the file and what
 * is wrong, and nothing they name runs (the marker file of index.json is never created).
 */
class TorchWeightsRejectTest {
    @TempDir
    Path dir;

    private static String refusal(String caseName, String file) {
        Path path = CheckpointFixtures.file(caseName, file);
        WeightFileException e = assertThrows(WeightFileException.class, () -> TorchWeights.stateDict(path));
        assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
        assertFalse(Files.exists(CheckpointFixtures.MARKER), "something the file names was run");
        return e.getMessage();
    }

    @Test
    void readRefusesTheHostileAndBrokenFilesToo() {
        for (String[] c : new String[][] {{"reject_os_system", "evil.pth"}, {"reject_builtins_eval", "evil.pth"},
            {"reject_legacy_subprocess", "evil.pt"}, {"reject_truncated_zip", "cut.pth"},
            {"reject_not_a_checkpoint", "photo.pth"}}) {
            assertThrows(WeightFileException.class, () -> TorchWeights.read(CheckpointFixtures.file(c[0], c[1])));
        }
        assertFalse(Files.exists(CheckpointFixtures.MARKER), "something a file names was run");
    }

    @Test
    void aPickleCallingOsSystemIsRefusedByTheGlobalsName() {
        String m = refusal("reject_os_system", "evil.pth");
        assertTrue(m.contains("(entry archive/data.pkl): pickle byte 2: refused the global os.system"), m);
    }

    @Test
    void aPickleCallingBuiltinsEvalIsRefusedByTheGlobalsName() {
        String m = refusal("reject_builtins_eval", "evil.pth");
        assertTrue(m.contains("refused the global builtins.eval"), m);
    }

    @Test
    void aLegacyFileWhoseFirstPickleCallsSubprocessIsRefusedByTheGlobalsName() {
        String m = refusal("reject_legacy_subprocess", "evil.pt");
        assertTrue(m.contains("refused the global subprocess.call"), m);
    }

    @Test
    void aTensorLargerThanItsStorageIsRefusedBeforeAnyRead() {
        String m = refusal("reject_storage_overrun", "bad.pth");
        assertTrue(m.endsWith("'fc.weight' is a tensor [1000] (stride [1], offset 0) of FloatStorage '0' that does"
                + " not fit: it has 1000 elements but its storage holds 4"), m);
    }

    @Test
    void aTruncatedArchiveIsRefusedAsTruncated() {
        String m = refusal("reject_truncated_zip", "cut.pth");
        assertTrue(m.contains("not a complete zip archive") && m.contains("truncated"), m);
    }

    @Test
    void aPngRenamedPthIsRefusedNamingItsFirstBytes() {
        String m = refusal("reject_not_a_checkpoint", "photo.pth");
        assertTrue(m.contains("not a PyTorch weight file: it starts with the bytes 89 50 4e 47"), m);
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        WeightFileException e = assertThrows(WeightFileException.class, () -> TorchWeights.stateDict(empty));
        assertEquals(empty + ": not a PyTorch weight file: it starts with the bytes , neither a zip archive"
                + " (torch.save since 1.6, \"PK\") nor a pickle (before 1.6, 0x80)", e.getMessage());
    }
}
