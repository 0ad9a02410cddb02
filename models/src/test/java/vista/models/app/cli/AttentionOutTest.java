package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vista.models.app.cli.Cli.vista;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.cli.Cli.Outcome;
import vista.models.app.train.SmallDataSets;

/** {@code vista attention --out}: the PNG it names is written, or a sentence says why not. */
class AttentionOutTest {
    @TempDir
    static Path tmp;
    private static Path checkpoint;

    @BeforeAll
    static void trainATinySasaRun() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 16, 16, 16);
        Path run = tmp.resolve("run");
        Outcome trained = vista("train", "--model", "sasa-resnet26-mini", "--data", data.toString(), "--limit-test", "16",
                "--batch", "16", "--progress", "lines", "--out", run.toString());
        assertEquals(0, trained.status(), trained::toString);
        checkpoint = run.resolve("checkpoint.vckp");
    }

    private static Outcome attention(String out) {
        return vista("attention", "--checkpoint", checkpoint.toString(), "--out", out);
    }

    @Test
    void refusesAnEmptyOutOrAFolder() throws IOException {
        Outcome empty = attention("");
        assertEquals(2, empty.status(), empty::toString);
        assertTrue(empty.err().startsWith("vista attention: --out is empty; name the PNG file to write, e.g. --out"
                + " attention.png.\n"), empty::toString);

        Path folder = Files.createDirectories(tmp.resolve("pictures"));
        Outcome isFolder = attention(folder.toString());
        assertEquals(2, isFolder.status(), isFolder::toString);
        assertTrue(isFolder.err().startsWith("vista attention: --out " + folder + " is a folder; name the PNG file to"
                + " write in it, e.g. --out " + folder.resolve("attention.png") + ".\n"), isFolder::toString);
    }

    @Test
    void namesTheFileThatStandsWhereAFolderShouldBe() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "notes\n");
        Path png = file.resolve("attention.png");
        Outcome outcome = attention(png.toString());
        assertEquals(1, outcome.status(), outcome::toString);
        assertEquals("vista attention: cannot create the folder " + file + ": " + file + " is a file, not a folder\n",
                outcome.err());
    }

    @Test
    void namesAFolderItMayNotWriteWithoutATrace() throws IOException {
        Path folder = unwritableFolder();
        Path png = folder.resolve("attention.png");
        Outcome outcome = attention(png.toString());
        assertEquals(1, outcome.status(), outcome::toString);
        assertEquals("vista attention: cannot write " + png + ": this user may not create or replace files in " + folder
                + " (permission denied); make the folder writable, or write to another folder; any previous file"
                + " there is unchanged\n", outcome.err());
    }

    /**
     * A folder in which this user may not create files: a read-only folder, or where permissions do not
     * hold (root), {@code /sys}; the test is skipped if there is none.
     */
    private static Path unwritableFolder() throws IOException {
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        for (Path candidate : List.of(readOnly, Path.of("/sys"))) {
            Path probe = candidate.resolve("probe");
            try {
                Files.createFile(probe);
                Files.delete(probe);
            } catch (IOException refused) {
                return candidate;
            }
        }
        Assumptions.abort("every folder tried is writable by this user");
        return null;
    }

    @Test
    void replacesALinkAtThePictureInsteadOfWritingThroughIt() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
        Path pictures = Files.createDirectories(tmp.resolve("linked"));
        Path png = Files.createSymbolicLink(pictures.resolve("attention.png"), victim);
        Files.createSymbolicLink(pictures.resolve(".attention.png." + ProcessHandle.current().pid() + ".tmp"), victim);
        Outcome outcome = attention(png.toString());
        assertEquals(0, outcome.status(), outcome::toString);
        assertEquals("precious\n", Files.readString(victim));
        assertTrue(Files.isRegularFile(png, LinkOption.NOFOLLOW_LINKS));
        assertNotNull(ImageIO.read(png.toFile()), "a PNG ImageIO reads");
        assertFalse(outcome.err().contains("Exception"), outcome::toString);
    }
}
