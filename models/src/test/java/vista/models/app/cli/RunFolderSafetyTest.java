package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.provenance.RunManifest;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.tensor.runtime.Parallel;

/**
 * What {@code vista train} writes stays in its run folder, and what a folder already holds is not
 * silently overwritten: planted symbolic links, another run's files, an empty or wrong {@code --out}, a
 * missing manifest on resume, temporary files left by a killed run.
 */
class RunFolderSafetyTest {
    private static final int THREADS = Parallel.threads();
    private static final List<String> RUN_FILES = List.of(RunDirectory.CONFIG, RunDirectory.MANIFEST,
            RunDirectory.METRICS, RunDirectory.CHECKPOINT);

    @TempDir
    Path tmp;
    private Path data;

    @BeforeEach
    void writeData() throws IOException {
        data = SmallDataSets.stripes(tmp.resolve("data"), 32, 16, 16);
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    /** {@code vista train} of a tiny run in {@code out} (2 epochs of 2 steps), with {@code more} options. */
    private Cli.Outcome train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "resnet26-mini", "--data", data.toString(),
                "--batch", "16", "--epochs", "2", "--progress", "lines", "--out", out.toString()));
        args.addAll(List.of(more));
        return Cli.vista(args.toArray(String[]::new));
    }

    private static Cli.Outcome expect(int status, Cli.Outcome outcome) {
        assertEquals(status, outcome.status(), outcome::toString);
        return outcome;
    }

    /** Every name the run writes through a temporary file, as earlier versions named them (guessable). */
    private static List<String> guessableTemporaries() {
        long pid = ProcessHandle.current().pid();
        List<String> names = new ArrayList<>();
        for (String file : RUN_FILES) {
            names.add("." + file + ".tmp");
            names.add("." + file + "." + pid + ".tmp");
        }
        return names;
    }

    /** The bytes of every file under {@code folder}, by path. */
    private static Map<Path, byte[]> contents(Path folder) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(file, Files.readAllBytes(file));
            }
        }
        return contents;
    }

    private static void assertUnchanged(Map<Path, byte[]> before, Path folder) throws IOException {
        Map<Path, byte[]> after = contents(folder);
        assertEquals(before.keySet(), after.keySet(), "no file appears or disappears outside the run folder");
        before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file + " is unchanged"));
    }

    @Test
    void linksPlantedAtEveryNameTheRunWritesLeadNoWriteOutOfItsFolder() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious"), "someone else's file\n");
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String name : guessableTemporaries()) {
            Files.createSymbolicLink(run.resolve(name), name.startsWith(".config") ? precious
                    : outside.resolve("not-yet-" + name));
        }
        Map<Path, byte[]> before = contents(outside);
        expect(0, train(run, "--stop-after-epoch", "1"));
        assertUnchanged(before, outside);

        // The run's files moved out of the folder, links to them put in their place: a resume reads them and
        // replaces the links.
        for (String file : RUN_FILES) {
            Files.move(run.resolve(file), outside.resolve(file));
            Files.createSymbolicLink(run.resolve(file), outside.resolve(file));
        }
        for (String name : guessableTemporaries()) {
            Files.createSymbolicLink(run.resolve(name), precious);
        }
        before = contents(outside);
        Cli.Outcome resumed = expect(0, Cli.vista("train", "--out", run.toString(), "--resume", "--progress", "lines"));
        assertTrue(resumed.out().contains("Finished 2 epochs"), resumed::toString);
        assertUnchanged(before, outside);
        for (String file : RUN_FILES) {
            assertTrue(Files.isRegularFile(run.resolve(file), LinkOption.NOFOLLOW_LINKS), file + " is a file of the run");
        }
        assertEquals(2, RunManifest.read(run.resolve(RunDirectory.MANIFEST)).epochs().size());
        assertEquals(2, Files.readAllLines(run.resolve(RunDirectory.METRICS)).size());
    }

    @Test
    void aNewRunRefusesAFolderHoldingAnotherRunsFiles() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(run.resolve(RunDirectory.CONFIG), "{\"model\": \"theirs\"}\n");
        Files.writeString(run.resolve(RunDirectory.MANIFEST), "{\"format\": \"theirs\"}\n");
        Map<Path, byte[]> before = contents(run);
        Cli.Outcome refused = expect(1, train(run));
        assertEquals("vista train: " + run + " already holds another run's config.json and manifest.json (but no"
                + " checkpoint.vckp to resume); choose a new --out folder, or delete those files to start a new run"
                + " there\n", refused.err());
        assertUnchanged(before, run);

        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dangling = Files.createDirectories(tmp.resolve("dangling"));
        Files.createSymbolicLink(dangling.resolve(RunDirectory.METRICS), outside.resolve("created-by-vista"));
        Cli.Outcome link = expect(1, train(dangling));
        assertTrue(link.err().contains(dangling + " already holds another run's metrics.jsonl"), link::toString);
        assertEquals(List.of(), contents(outside).keySet().stream().toList(), "nothing is created through the link");
    }

    @Test
    void refusesAnEmptyOutAndAnOutThatIsAFile() throws IOException {
        Cli.Outcome empty = expect(2, Cli.vista("train", "--data", tmp.resolve("no-data").toString(), "--out", ""));
        assertTrue(empty.err().startsWith("vista train: --out is empty; name the run's folder, e.g. --out runs/first"
                + " (or --out . for the current folder).\n"), empty::toString);

        Path file = Files.writeString(tmp.resolve("notes.txt"), "notes\n");
        String expected = "vista train: " + file + " is a file, not a folder; --out names the run's folder (created if"
                + " needed), so choose another --out\n";
        assertEquals(expected, expect(1, train(file)).err());
        assertEquals(expected, expect(1, Cli.vista("train", "--out", file.toString(), "--resume")).err());
        assertEquals("notes\n", Files.readString(file));
    }

    @Test
    void resumeRefusesAMissingManifestUnlessToldToStartANewOne() throws IOException {
        Path run = tmp.resolve("run");
        expect(0, train(run, "--stop-after-epoch", "1"));
        Path manifest = run.resolve(RunDirectory.MANIFEST);
        Path kept = Files.move(manifest, tmp.resolve("kept-manifest.json"));
        Cli.Outcome refused = expect(1, Cli.vista("train", "--out", run.toString(), "--resume"));
        assertEquals("vista train: " + manifest + " is missing, so resuming would start a partial manifest that"
                + " records only the epochs after epoch 1, without the run's initial weights (vista replay could not"
                + " replay the run); put the run's manifest.json back, or pass --new-manifest to resume with a partial"
                + " manifest\n", refused.err());
        assertFalse(Files.exists(manifest));

        Cli.Outcome notResuming = expect(2, train(tmp.resolve("fresh"), "--new-manifest"));
        assertTrue(notResuming.err().startsWith("vista train: --new-manifest only applies with --resume"),
                notResuming::toString);

        Files.copy(kept, manifest);
        Cli.Outcome present = expect(1, Cli.vista("train", "--out", run.toString(), "--resume", "--new-manifest"));
        assertTrue(present.err().contains("--new-manifest starts a manifest for a run whose manifest.json is missing,"
                + " but " + manifest + " exists; resume without --new-manifest"), present::toString);
        assertArrayEquals(Files.readAllBytes(kept), Files.readAllBytes(manifest));

        Files.delete(manifest);
        expect(0, Cli.vista("train", "--out", run.toString(), "--resume", "--new-manifest", "--progress", "lines"));
        RunManifest partial = RunManifest.read(manifest);
        assertNull(partial.initialWeightsSha256());
        assertEquals(List.of(2), partial.epochs().stream().map(RunManifest.EpochRecord::epoch).toList());
    }

    @Test
    void aSessionRemovesTheTemporaryFilesAKilledRunLeftBehind() throws IOException {
        Path run = tmp.resolve("run");
        expect(0, train(run, "--stop-after-epoch", "1"));
        List<String> stale = List.of(".checkpoint.vckp.4242.tmp", ".manifest.json.0123456789abcdef.tmp",
                ".config.json.tmp");
        for (String name : stale) {
            Files.writeString(run.resolve(name), "half a file");
        }
        Path notes = Files.writeString(run.resolve(".notes.tmp"), "mine");
        expect(0, Cli.vista("train", "--out", run.toString(), "--resume", "--progress", "lines"));
        for (String name : stale) {
            assertFalse(Files.exists(run.resolve(name)), name + " is removed");
        }
        assertEquals("mine", Files.readString(notes), "a file not named as Vista's temporaries stays");
    }

    @Test
    void resumeNamesAFolderWhereTheRunHasAFile() throws IOException {
        Path run = tmp.resolve("run");
        expect(0, train(run, "--stop-after-epoch", "1"));
        Path metrics = run.resolve(RunDirectory.METRICS);
        Files.move(metrics, Files.createDirectories(tmp.resolve("aside")).resolve("metrics.jsonl"),
                StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectories(metrics);
        assertEquals("vista train: " + metrics + " is a folder, but a run writes metrics.jsonl as a file; move that"
                + " folder away, then resume again\n", expect(1, Cli.vista("train", "--out", run.toString(), "--resume"))
                .err());
    }
}
