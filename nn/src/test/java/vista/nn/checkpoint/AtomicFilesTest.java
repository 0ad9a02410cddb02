package vista.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;

/** Writing files so that neither a crash nor a planted symbolic link can do harm. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private Path folder() throws IOException {
        return Files.createDirectories(tmp.resolve("run"));
    }

    private Path outsideFile(String name, String text) throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        return Files.writeString(outside.resolve(name), text);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesALinkAtTheFinalNameInsteadOfWritingThroughIt() throws IOException {
        Path victim = outsideFile("victim", "precious");
        Path file = Files.createSymbolicLink(folder().resolve("config.json"), victim);
        AtomicFiles.writeString(file, "{}\n");
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), "the link itself was replaced");
        assertEquals("{}\n", Files.readString(file));
    }

    @Test
    void writesThroughANewTemporaryFileOfAnUnguessableName() throws IOException {
        Path folder = folder();
        Path victim = outsideFile("victim", "precious");
        long pid = ProcessHandle.current().pid();
        for (String guess : List.of(".config.json.tmp", ".config.json." + pid + ".tmp")) {
            Files.createSymbolicLink(folder.resolve(guess), victim);
        }
        Path file = folder.resolve("config.json");
        List<String> temporaries = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AtomicFiles.write(file, out -> {
                for (String name : names(folder)) {
                    Path entry = folder.resolve(name);
                    if (!Files.isSymbolicLink(entry) && AtomicFiles.isTemporaryOf(name, "config.json")) {
                        temporaries.add(name);
                        assertEquals(0, Files.size(entry), "a new, empty file");
                    }
                }
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            });
        }
        assertEquals(2, temporaries.size(), temporaries.toString());
        assertTrue(temporaries.get(0).matches("\\.config\\.json\\.[0-9a-f]{16}\\.tmp"), temporaries.toString());
        assertNotEquals(temporaries.get(0), temporaries.get(1), "a fresh random name for every write");
        assertEquals("precious", Files.readString(victim));
        assertEquals(List.of(".config.json." + pid + ".tmp", ".config.json.tmp", "config.json"), names(folder),
                "the planted links stay as they were, and no temporary file is left");
    }

    @Test
    void aCheckpointIsNeverWrittenThroughALink() throws IOException {
        Path folder = folder();
        Path victim = outsideFile("victim", "precious");
        Path file = Files.createSymbolicLink(folder.resolve("checkpoint.vckp"), victim);
        Files.createSymbolicLink(folder.resolve(".checkpoint.vckp." + ProcessHandle.current().pid() + ".tmp"), victim);
        new Checkpoint(Map.of("model", "tiny"), 1, 2, Map.of(), Map.of("w", Tensor.zeros(2)), Map.of()).write(file);
        assertEquals("precious", new String(Files.readAllBytes(victim), StandardCharsets.ISO_8859_1));
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
        assertEquals(2, Checkpoint.read(file).step());
    }

    @Test
    void appendReplacesALinkAndNeverCreatesItsTarget() throws IOException {
        Path victim = outsideFile("victim", "line 1\n");
        Path metrics = Files.createSymbolicLink(folder().resolve("metrics.jsonl"), victim);
        AtomicFiles.append(metrics, "line 2\n");
        assertEquals("line 1\n", Files.readString(victim));
        assertTrue(Files.isRegularFile(metrics, LinkOption.NOFOLLOW_LINKS));
        assertEquals("line 1\nline 2\n", Files.readString(metrics));

        Path nowhere = tmp.resolve("outside/not-yet");
        Path dangling = Files.createSymbolicLink(folder().resolve("other.jsonl"), nowhere);
        AtomicFiles.append(dangling, "line 1\n");
        assertFalse(Files.exists(nowhere, LinkOption.NOFOLLOW_LINKS), "nothing is created where the link pointed");
        assertEquals("line 1\n", Files.readString(dangling));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = folder().resolve("manifest.json");
        AtomicFiles.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new IOException("No space left on device");
        }));
        assertEquals("writing " + file + " failed (No space left on device); any previous file there is unchanged",
                e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("manifest.json"), names(file.getParent()));
    }

    @Test
    void namesAFolderAtTheTargetAMissingFolderAndAFileInTheWay() throws IOException {
        Path folder = Files.createDirectories(folder().resolve("picture.png"));
        IOException isFolder = assertThrows(IOException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertEquals("cannot write " + folder + ": it is a folder; expected the name of a file", isFolder.getMessage());

        Path missing = tmp.resolve("missing/config.json");
        IOException noFolder = assertThrows(IOException.class, () -> AtomicFiles.writeString(missing, "x"));
        assertEquals("cannot write " + missing + ": the folder " + missing.getParent() + " does not exist; any"
                + " previous file there is unchanged", noFolder.getMessage());

        Path file = outsideFile("a-file", "x");
        IOException inTheWay = assertThrows(IOException.class, () -> AtomicFiles.createFolders(file.resolve("sub")));
        assertEquals("cannot create the folder " + file.resolve("sub") + ": " + file + " is a file, not a folder",
                inTheWay.getMessage());
    }

    @Test
    void namesAFolderItMayNotWrite() throws IOException {
        Path folder = unwritableFolder();
        Path file = folder.resolve("attention.png");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(file, "x"));
        assertEquals("cannot write " + file + ": this user may not create or replace files in " + folder
                + " (permission denied); make the folder writable, or write to another folder; any previous file"
                + " there is unchanged", e.getMessage());
    }

    /**
     * A folder in which this user may not create files: a read-only folder, or where permissions do not
     * hold (root), {@code /sys}; the test is skipped if there is none.
     */
    private Path unwritableFolder() throws IOException {
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
    void removesOnlyItsOwnStaleTemporariesWithoutFollowingLinks() throws IOException {
        Path folder = folder();
        Path victim = outsideFile("victim", "precious");
        for (String stale : List.of(".config.json.0123456789abcdef.tmp", ".checkpoint.vckp.4242.tmp",
                ".manifest.json.tmp")) {
            Files.writeString(folder.resolve(stale), "half");
        }
        Files.createSymbolicLink(folder.resolve(".metrics.jsonl.abcdef.tmp"), victim);
        Files.createDirectories(folder.resolve(".config.json.00.tmp"));
        for (String kept : List.of(".config.json.XYZ.tmp", ".notes.tmp", "config.json", ".config.json.1.tmp.bak")) {
            Files.writeString(folder.resolve(kept), "mine");
        }
        List<Path> removed = AtomicFiles.removeStaleTemporaries(folder,
                List.of("config.json", "metrics.jsonl", "checkpoint.vckp", "manifest.json"));
        assertEquals(4, removed.size(), removed.toString());
        assertEquals(List.of(".config.json.00.tmp", ".config.json.1.tmp.bak", ".config.json.XYZ.tmp", ".notes.tmp",
                "config.json"), names(folder));
        assertEquals("precious", Files.readString(victim), "a link is deleted, not what it points to");
        assertEquals(Set.of("victim"), Set.copyOf(names(victim.getParent())));
    }
}
