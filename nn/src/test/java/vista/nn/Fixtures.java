package vista.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * One PyTorch parity case copied from the shared fixtures into {@code src/test/resources/fixtures/<case>/}
 * (format: the fixtures' FORMAT.md). Shapes are stated by the tests; of case.json only the tolerances are
 * read, by a pattern that matches their fixed layout ({@code "name": {"rtol": r, "atol": a}}).
 */
final class Fixtures {
    private static final Pattern TOLERANCE =
            Pattern.compile("\"([^\"]+)\":\\s*\\{\\s*\"rtol\":\\s*([-+0-9.eE]+),\\s*\"atol\":\\s*([-+0-9.eE]+)\\s*}");

    private final String name;
    private final String caseJson;

    private Fixtures(String name) {
        this.name = name;
        this.caseJson = new String(bytes("case.json"), StandardCharsets.UTF_8);
    }

    static Fixtures of(String caseName) {
        return new Fixtures(caseName);
    }

    /** A float32 tensor from {@code <tensor>.bin} (little-endian float32). */
    Tensor floats(String tensor, int... dims) {
        ByteBuffer b = ByteBuffer.wrap(bytes(tensor + ".bin")).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[Shape.of(dims).numel()];
        assertEquals(values.length * 4, b.capacity(), name + "/" + tensor + ".bin: size for shape " + Shape.of(dims));
        b.asFloatBuffer().get(values);
        return Tensor.fromArray(values, dims);
    }

    /** The float64 truth from {@code <tensor>.f64.bin}. */
    double[] expected(String tensor) {
        ByteBuffer b = ByteBuffer.wrap(bytes(tensor + ".f64.bin")).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[b.capacity() / 8];
        b.asDoubleBuffer().get(values);
        return values;
    }

    /** int32 class targets from {@code <tensor>.bin}. */
    int[] ints(String tensor) {
        ByteBuffer b = ByteBuffer.wrap(bytes(tensor + ".bin")).order(ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[b.capacity() / 4];
        b.asIntBuffer().get(values);
        return values;
    }

    /**
     * Asserts the fixtures' rule {@code |actual - expected| <= atol + rtol |expected|} for every element,
     * with the tolerances of {@code tensor} from case.json, and no NaN or infinity in {@code actual}.
     */
    void assertMatches(String tensor, Tensor actual) {
        double[] expected = expected(tensor);
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, name + "/" + tensor + ": element count");
        Matcher m = TOLERANCE.matcher(caseJson);
        double rtol = Double.NaN;
        double atol = Double.NaN;
        while (m.find()) {
            if (m.group(1).equals(tensor)) {
                rtol = Double.parseDouble(m.group(2));
                atol = Double.parseDouble(m.group(3));
            }
        }
        if (Double.isNaN(rtol)) {
            fail(name + "/case.json has no tolerance for " + tensor);
        }
        for (int i = 0; i < a.length; i++) {
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!Double.isFinite(a[i]) || Math.abs(a[i] - expected[i]) > allowed) {
                fail(name + "/" + tensor + ": element " + i + " is " + a[i] + ", expected " + expected[i] + " +- "
                        + allowed);
            }
        }
    }

    private byte[] bytes(String file) {
        String path = "/fixtures/" + name + "/" + file;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
