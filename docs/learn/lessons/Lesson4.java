import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import vista.autograd.Variable;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;
import vista.tensor.runtime.Tiles;

/**
 * Lesson 4 (docs/learn/04-parallel-determinism.md): parallel and deterministic.
 * <ol>
 *   <li>Float addition is not associative: summing the same numbers in one run, in two halves or in four
 *       quarters (as two or four threads would) gives different bits.</li>
 *   <li>Vista's rule: tiles are chosen from the shape alone ({@code Tiles.count}), each tile writes its own
 *       part, and partial sums are combined in a fixed order, so the thread count cannot change a bit.</li>
 *   <li>The proof: a sum, a matrix product and a convolution-BatchNorm-ReLU forward and backward pass, run
 *       on 1, 2 and 4 threads, hashed with SHA-256: the digests are identical.</li>
 * </ol>
 * <p>Run: {@code ./vista learn 4}; {@code --quick} uses smaller tensors.
 */
public class Lesson4 {
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        Rng rng = new Rng(4);
        int n = quick ? 100_000 : 2_000_000;
        float[] values = Tensor.randn(rng, n).floats();
        System.out.printf("summing %,d random floats left to right, split in 2 and split in 4:%n", n);
        String[] orders = {"1 part ", "2 parts", "4 parts"};
        Set<Integer> distinct = new TreeSet<>();
        for (int split = 0; split < 3; split++) {
            float sum = splitSum(values, 1 << split);
            distinct.add(Float.floatToIntBits(sum));
            System.out.printf("  %s  %.9g  bits 0x%08x%n", orders[split], sum, Float.floatToIntBits(sum));
        }
        System.out.printf("  %d different results from one set of numbers: the order of additions matters%n",
                distinct.size());

        int side = quick ? 16 : 32;
        System.out.printf("tiles come from the shape alone: Tiles.count(%,d elements, at most 65,536 each) = %d,"
                + " on 1 thread or %d%n", n, Tiles.count(n, 65_536), Runtime.getRuntime().availableProcessors());

        Tensor big = Tensor.randn(rng, n);
        Tensor a = Tensor.randn(rng, 4 * side, 4 * side + 3);
        Tensor b = Tensor.randn(rng, 4 * side + 3, 4 * side - 1);
        Tensor images = Tensor.randn(rng, 8, 8, side, side);
        long seed = rng.nextLong();
        String first = null;
        for (int threads : new int[] {1, 2, 4}) {
            String digest = Parallel.withThreads(threads, () -> digestOfWork(big, a, b, images, seed));
            System.out.printf("  %d thread%s: SHA-256 of sum, matmul, conv-bn-relu forward and gradients %s%n",
                    threads, threads == 1 ? " " : "s", digest.substring(0, 24));
            if (first == null) {
                first = digest;
            }
            check(digest.equals(first), "every thread count gives the same bits");
        }
        System.out.println("lesson 4 ok: the same bits on 1, 2 and 4 threads: " + first.substring(0, 16));
    }

    /** The sum of {@code parts} contiguous runs, each summed left to right, then the runs in order. */
    static float splitSum(float[] values, int parts) {
        float total = 0;
        int length = values.length / parts;
        for (int p = 0; p < parts; p++) {
            float partial = 0;
            int end = p == parts - 1 ? values.length : (p + 1) * length;
            for (int i = p * length; i < end; i++) {
                partial += values[i];
            }
            total += partial;
        }
        return total;
    }

    /** SHA-256 over the bits of everything a small training step computes. */
    static String digestOfWork(Tensor big, Tensor a, Tensor b, Tensor images, long seed) {
        Rng rng = new Rng(seed);
        Sequential block = new Sequential(
                Conv2d.builder().setChannels(8, 16).setKernel(3).optPadding(1).optBias(false).build(rng),
                new BatchNorm2d(16), new ReLU());
        Variable x = new Variable(images, true);
        Variable out = block.forward(x);
        out.mul(out).mean().backward();
        MessageDigest sha = sha256();
        for (Tensor t : new Tensor[] {big.sum(), a.matmul(b), out.data(), x.grad(),
                block.parameters().get(0).grad()}) {
            ByteBuffer bytes = ByteBuffer.allocate(4 * t.numel());
            for (float f : t.contiguous().toFloatArray()) {
                bytes.putFloat(f);
            }
            sha.update(bytes.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 4: expected that " + claim);
        }
    }
}
