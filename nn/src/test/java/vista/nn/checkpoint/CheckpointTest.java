package vista.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Linear;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.nn.optim.Sgd;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Checkpoints: bit-identical round trips, detection of damaged files, atomic replacement, resuming. */
class CheckpointTest {
    @TempDir
    Path dir;

    /** A small model: Linear(3 -> 4) then a BatchNorm2d(4) over (N, 4, 1, 1). */
    private static final class Model extends Module {
        private final Linear fc;
        private final BatchNorm2d bn;

        Model(Rng rng) {
            fc = registerModule("fc", new Linear(3, 4, rng));
            bn = registerModule("bn", new BatchNorm2d(4));
        }

        @Override
        public Variable forward(Variable input) {
            return bn.forward(fc.forward(input).reshape(-1, 4, 1, 1)).reshape(-1, 4);
        }
    }

    private static Sgd sgd(Module model) {
        return Sgd.builder(model.namedParameters()).setLearningRate(0.1).optMomentum(0.9).optWeightDecay(1e-4)
                .optNoWeightDecay(Sgd.oneDimensional(model.namedParameters())).build();
    }

    /** One training step on a fixed batch. */
    private static void trainStep(Model model, Sgd sgd) {
        sgd.zeroGrad();
        Tensor x = Tensor.randn(new Rng(99), 5, 3);
        model.forward(new Variable(x)).mul(new Variable(Tensor.randn(new Rng(98), 5, 4))).sum().backward();
        sgd.step();
    }

    private static Checkpoint sample() {
        Model model = new Model(new Rng(1));
        Sgd sgd = sgd(model);
        trainStep(model, sgd);
        Map<String, Tensor> extra = new LinkedHashMap<>(model.stateDict());
        extra.put("special", Tensor.fromArray(new float[] {Float.NaN, -0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE}, 2, 2));
        extra.put("float64", Tensor.fromArray(new double[] {Math.PI, -1e-300}, 2));
        extra.put("scalar", Tensor.scalar(42));
        extra.put("empty", Tensor.zeros(0, 3));
        extra.put("view", Tensor.randn(new Rng(2), 3, 4).transpose(0, 1));
        extra.put("larger than the I/O buffer", Tensor.randn(new Rng(3), 300, 257));
        extra.put("float64 larger than the I/O buffer", Tensor.randn(new Rng(4), 41, 1001).to(DType.FLOAT64));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("model", "tiny");
        config.put("lr", "0.1");
        config.put("naïve ключ", "välue ✓");
        config.put("empty", "");
        config.put("long", "λ".repeat(70_000));
        Map<String, Long> rng = new LinkedHashMap<>();
        rng.put("seed", 42L);
        rng.put("shuffle", Long.MIN_VALUE);
        return new Checkpoint(config, 7, 12345, rng, extra, sgd.stateDict());
    }

    @Test
    void roundTripIsBitIdentical() throws IOException {
        Checkpoint written = sample();
        Path file = dir.resolve("run.ckpt");
        written.write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(written.config(), read.config());
        assertEquals(List.copyOf(written.config().keySet()), List.copyOf(read.config().keySet()), "config order");
        assertEquals(7, read.epoch());
        assertEquals(12345, read.step());
        assertEquals(written.rng(), read.rng());
        assertSameTensors(written.model(), read.model());
        assertSameTensors(written.optimizer(), read.optimizer());
        assertTrue(read.optimizer().containsKey("fc.weight"));
    }

    @Test
    void checkpointGetsTheSamePermissionsAsOtherFilesAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        sample().write(file);
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("plain.txt", "run.ckpt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in order");
        expected.forEach((name, e) -> {
            Tensor a = actual.get(name);
            assertEquals(e.shape(), a.shape(), name);
            assertEquals(e.dtype(), a.dtype(), name);
            double[] ev = e.toDoubleArray();
            double[] av = a.toDoubleArray();
            for (int i = 0; i < ev.length; i++) {
                assertEquals(Double.doubleToRawLongBits(ev[i]), Double.doubleToRawLongBits(av[i]), name + " element " + i);
            }
        });
    }

    @Test
    void rejectsCorruptedCheckpoint() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith("Checkpoint " + file + " is corrupt or truncated"), e.getMessage());
    }

    @Test
    void rejectsTruncatedCheckpoint() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith("Checkpoint " + file + " is corrupt or truncated"), e.getMessage());
        Files.write(file, Arrays.copyOf(bytes, 20));
        e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertEquals("Checkpoint " + file + " is truncated: 20 bytes, fewer than the 44 of a header and a checksum",
                e.getMessage());
    }

    @Test
    void rejectsOtherFilesAndOtherVersions() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        byte[] bytes = Files.readAllBytes(file);
        byte[] other = bytes.clone();
        other[0] = 'X';
        Files.write(file, other);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("is not a Vista checkpoint: expected the magic VISTACKP at offset 0"),
                e.getMessage());
        byte[] future = bytes.clone();
        future[8] = 2;
        Files.write(file, future);
        e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertEquals("Checkpoint " + file + " has format version 2 (at offset 8); this Vista reads version 1",
                e.getMessage());
    }

    /** A file with a valid checksum over a malformed structure is reported with the offset. */
    @Test
    void rejectsMalformedStructureNamingTheOffset() throws Exception {
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        body.put(Checkpoint.MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(1_000_000);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body.array());
        Path file = dir.resolve("bad.ckpt");
        Files.write(file, concat(body.array(), digest));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith("Checkpoint " + file + " is malformed at offset 12: expected the number "
                + "of config entries"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void failedWriteLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        byte[] before = Files.readAllBytes(file);
        Checkpoint next = new Checkpoint(Map.of("model", "next"), 8, 20000, Map.of(), sample().model(), Map.of());
        IOException e = assertThrows(IOException.class,
                () -> CheckpointWriter.write(next, file, stream -> new DiskFullAfter(stream, 100)));
        assertTrue(e.getMessage().contains("writing " + file.toAbsolutePath() + " failed (No space left on device)"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "the old checkpoint is unchanged");
        assertEquals(List.of(file), filesIn(dir), "no temporary file is left behind");
        assertEquals(7, Checkpoint.read(file).epoch());
    }

    @Test
    void failingTensorLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        byte[] before = Files.readAllBytes(file);
        Map<String, Tensor> model = new LinkedHashMap<>(sample().model());
        model.put("too.many.axes", Tensor.zeros(1, 1, 1, 1, 1, 1, 1, 1, 1));
        IOException e = assertThrows(IOException.class,
                () -> new Checkpoint(Map.of(), 8, 1, Map.of(), model, Map.of()).write(file));
        assertTrue(e.getMessage().contains("has rank 9; the format allows at most 8"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), filesIn(dir));
    }

    /** An output stream that passes on {@code limit} bytes, then fails as a full disk does. */
    private static final class DiskFullAfter extends FilterOutputStream {
        private long left;

        DiskFullAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
            if (n < len) {
                throw new IOException("No space left on device");
            }
        }
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void restoringModelAndOptimizerResumesTrainingBitForBit() throws IOException {
        Model model = new Model(new Rng(3));
        Sgd sgd = sgd(model);
        trainStep(model, sgd);
        Path file = dir.resolve("resume.ckpt");
        new Checkpoint(Map.of(), 1, 1, Map.of(), model.stateDict(), sgd.stateDict()).write(file);
        trainStep(model, sgd);

        Model resumed = new Model(new Rng(4));
        Sgd resumedSgd = sgd(resumed);
        Checkpoint.read(file).restore(resumed, resumedSgd);
        trainStep(resumed, resumedSgd);
        model.stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                resumed.stateDict().get(name).toFloatArray(), name));
    }

    @Test
    void restoreRejectsAModelOfAnotherShape() throws IOException {
        Path file = dir.resolve("run.ckpt");
        sample().write(file);
        Checkpoint checkpoint = Checkpoint.read(file);
        Module other = new Sequential(new Linear(3, 4, new Rng(5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> checkpoint.restore(other, sgd(other)));
        assertTrue(e.getMessage().startsWith("loadStateDict(Sequential): the state does not fit this module."),
                e.getMessage());
        assertEquals(DType.FLOAT64, checkpoint.model().get("float64").dtype());
    }
}
