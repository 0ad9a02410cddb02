package vista.tensor;

import java.nio.charset.StandardCharsets;

/**
 * Vista's one random number generator: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), with every derived value defined here bit for bit, so
 * the same seed gives the same numbers on every JVM and operating system.
 *
 * <pre>
 *   state  += 0x9E3779B97F4A7C15                       (the golden-ratio increment)
 *   z       = state
 *   z       = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *   z       = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *   next    = z ^ (z >>> 31)
 * </pre>
 *
 * Derived values:
 * <ul>
 *   <li>{@link #nextFloat()}: the top 24 bits of {@code next} times 2^-24, uniform on [0, 1);</li>
 *   <li>{@link #nextDouble()}: the top 53 bits times 2^-53;</li>
 *   <li>{@link #nextGaussian()}: Box-Muller with {@code StrictMath} (exactly specified results):
 *       u1 = 1 - nextDouble() (in (0, 1]), u2 = nextDouble(),
 *       r = sqrt(-2 ln u1); the pair r cos(2 pi u2), r sin(2 pi u2) is returned in that order.</li>
 * </ul>
 *
 * <p><b>Streams.</b> Each consumer of randomness (initialisation, shuffling, augmentation, dropout)
 * takes its own stream with {@link #split(String)}: the child seed is a function of the parent's seed
 * and the consumer's name only, never of how many numbers the parent has drawn, so adding a consumer
 * does not shift anyone else's numbers. Not thread-safe: give each thread or tile its own split.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private long state;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    public Rng(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** The seed this stream started from. */
    public long seed() {
        return seed;
    }

    /** The SplitMix64 finaliser: a bijective mix of 64 bits. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform on [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Standard normal, by Box-Muller (see the class comment). */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * StrictMath.PI * u2;
        spareGaussian = r * StrictMath.sin(theta);
        hasSpareGaussian = true;
        return r * StrictMath.cos(theta);
    }

    /**
     * An independent stream for the consumer {@code name}: seed = mix64(seed XOR mix64(FNV-1a-64(name))).
     * Depends only on this stream's seed and the name.
     */
    public Rng split(String name) {
        return new Rng(mix64(seed ^ mix64(fnv1a64(name))));
    }

    /** An independent stream numbered {@code index} (for example one per epoch or per tile). */
    public Rng split(long index) {
        return new Rng(mix64(seed ^ mix64(index * GOLDEN_GAMMA + 1)));
    }

    private static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
