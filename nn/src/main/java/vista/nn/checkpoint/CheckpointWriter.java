package vista.nn.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.UnaryOperator;
import vista.tensor.DType;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/** Writes the format described in {@link Checkpoint}, atomically ({@link AtomicFiles}). */
final class CheckpointWriter {
    static final int FLOAT32 = 1;
    static final int FLOAT64 = 2;
    static final int MAX_RANK = 8;
    static final int BUFFER = 1 << 16;

    private CheckpointWriter() {
    }

    /**
     * Writes {@code checkpoint} to {@code file} through {@link AtomicFiles#write} (a new temporary file,
     * forced to disk and renamed over {@code file}). {@code interpose} wraps the file's output stream (tests
     * use it to make writing fail midway); on any failure the temporary file is deleted and {@code file} is
     * untouched.
     */
    static void write(Checkpoint checkpoint, Path file, UnaryOperator<OutputStream> interpose) throws IOException {
        AtomicFiles.write(file, stream -> {
            OutputStream interposed = interpose.apply(stream);
            Output out = new Output(interposed);
            writeBody(checkpoint, out);
            out.finish();
            interposed.flush();
        });
    }

    private static void writeBody(Checkpoint c, Output out) throws IOException {
        out.bytes(Checkpoint.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.int32(Checkpoint.VERSION);
        out.int32(c.config().size());
        for (Map.Entry<String, String> e : c.config().entrySet()) {
            out.string(e.getKey());
            out.string(e.getValue());
        }
        out.int64(c.epoch());
        out.int64(c.step());
        out.int32(c.rng().size());
        for (Map.Entry<String, Long> e : c.rng().entrySet()) {
            out.string(e.getKey());
            out.int64(e.getValue());
        }
        section(out, "model", c.model());
        section(out, "optimizer", c.optimizer());
    }

    private static void section(Output out, String name, Map<String, Tensor> tensors) throws IOException {
        out.string(name);
        out.int32(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            tensor(out, name + "/" + e.getKey(), e.getKey(), e.getValue());
        }
    }

    /**
     * One tensor as the format stores it: name, dtype, rank, dims, elements in row-major order
     * ({@code where} names it in errors).
     */
    static void tensor(Output out, String where, String name, Tensor tensor) throws IOException {
        Tensor t = tensor.contiguous();
        if (t.rank() > MAX_RANK) {
            throw new IllegalArgumentException("Checkpoint: tensor " + where + " has rank " + t.rank()
                    + "; the format allows at most " + MAX_RANK);
        }
        out.string(name);
        out.uint8(t.dtype() == DType.FLOAT32 ? FLOAT32 : FLOAT64);
        out.int32(t.rank());
        for (int d : t.dims()) {
            out.int32(d);
        }
        if (t.storage() instanceof Storage.Floats f) {
            out.floats(f.array(), t.offset(), t.numel());
        } else if (t.storage() instanceof Storage.Doubles d) {
            out.doubles(d.array(), t.offset(), t.numel());
        }
    }

    /** Little-endian output through a buffer, every byte also fed to SHA-256. */
    static final class Output {
        private final OutputStream stream;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final MessageDigest digest = sha256();

        Output(OutputStream stream) {
            this.stream = stream;
        }

        void uint8(int value) throws IOException {
            room(1);
            buffer.put((byte) value);
        }

        void int32(int value) throws IOException {
            room(4);
            buffer.putInt(value);
        }

        void int64(long value) throws IOException {
            room(8);
            buffer.putLong(value);
        }

        void string(String s) throws IOException {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            int32(utf8.length);
            bytes(utf8);
        }

        void bytes(byte[] bytes) throws IOException {
            for (int i = 0; i < bytes.length; ) {
                room(1);
                int n = Math.min(buffer.remaining(), bytes.length - i);
                buffer.put(bytes, i, n);
                i += n;
            }
        }

        void floats(float[] values, int from, int count) throws IOException {
            for (int i = from; i < from + count; ) {
                room(4);
                int n = Math.min(buffer.remaining() / 4, from + count - i);
                buffer.asFloatBuffer().put(values, i, n);
                buffer.position(buffer.position() + 4 * n);
                i += n;
            }
        }

        void doubles(double[] values, int from, int count) throws IOException {
            for (int i = from; i < from + count; ) {
                room(8);
                int n = Math.min(buffer.remaining() / 8, from + count - i);
                buffer.asDoubleBuffer().put(values, i, n);
                buffer.position(buffer.position() + 8 * n);
                i += n;
            }
        }

        /** Writes what is buffered, then the SHA-256 of everything written. */
        void finish() throws IOException {
            stream.write(digest());
        }

        /** Writes what is buffered and returns the SHA-256 of everything written (which resets it). */
        byte[] digest() throws IOException {
            drain();
            return digest.digest();
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                drain();
            }
        }

        private void drain() throws IOException {
            digest.update(buffer.array(), 0, buffer.position());
            stream.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
    }
}
