package vista.models.app.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.nn.checkpoint.Checkpoint;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * What rank 0 sends every worker before a session: whether it resumes, the run's config (as the string
 * map a checkpoint stores) and, when resuming, the checkpoint it read, so that the other workers need no
 * copy of the run folder. Tensors travel with their exact bits (float32 or float64).
 *
 * @param problem    why rank 0 cannot start (a sentence), or empty; then the other fields are empty
 * @param resume     true if the session continues a run
 * @param config     the run's config, by key
 * @param checkpoint the checkpoint the session continues from, or null for a new run
 */
public record SessionStart(String problem, boolean resume, Map<String, String> config, Checkpoint checkpoint) {

    /** The start of a session that rank 0 cannot begin, for {@code problem}. */
    public static SessionStart failed(String problem) {
        return new SessionStart(problem, false, Map.of(), null);
    }

    /** This start as bytes, for {@link Collective#broadcast}. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(problem);
            out.writeBoolean(resume);
            strings(out, config);
            out.writeBoolean(checkpoint != null);
            if (checkpoint != null) {
                strings(out, checkpoint.config());
                out.writeLong(checkpoint.epoch());
                out.writeLong(checkpoint.step());
                out.writeInt(checkpoint.rng().size());
                for (Map.Entry<String, Long> e : checkpoint.rng().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue());
                }
                tensors(out, checkpoint.model());
                tensors(out, checkpoint.optimizer());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The start {@link #encode()} wrote. */
    public static SessionStart decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String problem = in.readUTF();
            boolean resume = in.readBoolean();
            Map<String, String> config = strings(in);
            Checkpoint checkpoint = null;
            if (in.readBoolean()) {
                Map<String, String> stored = strings(in);
                long epoch = in.readLong();
                long step = in.readLong();
                Map<String, Long> rng = new LinkedHashMap<>();
                for (int i = in.readInt(); i > 0; i--) {
                    rng.put(in.readUTF(), in.readLong());
                }
                checkpoint = new Checkpoint(stored, epoch, step, rng, tensors(in), tensors(in));
            }
            return new SessionStart(problem, resume, config, checkpoint);
        } catch (IOException e) {
            throw new ClusterFailure("the start of the session that worker 0 sent cannot be read (" + e.getMessage()
                    + "); run the same vista version on every worker", e);
        }
    }

    private static void strings(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> strings(DataInputStream in) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void tensors(DataOutputStream out, Map<String, Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeBoolean(t.dtype() == DType.FLOAT64);
            int[] dims = t.dims();
            out.writeInt(dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            if (t.dtype() == DType.FLOAT64) {
                for (double v : t.toDoubleArray()) {
                    out.writeLong(Double.doubleToRawLongBits(v));
                }
            } else {
                for (float v : t.toFloatArray()) {
                    out.writeInt(Float.floatToRawIntBits(v));
                }
            }
        }
    }

    private static Map<String, Tensor> tensors(DataInputStream in) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = in.readUTF();
            boolean doubles = in.readBoolean();
            int[] dims = new int[in.readInt()];
            int n = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readInt();
                n *= dims[d];
            }
            if (doubles) {
                double[] values = new double[n];
                for (int j = 0; j < n; j++) {
                    values[j] = Double.longBitsToDouble(in.readLong());
                }
                tensors.put(name, Tensor.fromArray(values, dims));
            } else {
                float[] values = new float[n];
                for (int j = 0; j < n; j++) {
                    values[j] = Float.intBitsToFloat(in.readInt());
                }
                tensors.put(name, Tensor.fromArray(values, dims));
            }
        }
        return tensors;
    }
}
