package vista.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.core.source64.SplitMix64;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void matchesAnIndependentSplitMix64() {
        for (long seed : new long[] {0, 1, -7, 0x123456789ABCDEFL}) {
            Rng ours = new Rng(seed);
            SplitMix64 theirs = new SplitMix64(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(theirs.nextLong(), ours.nextLong(), "seed " + seed + ", draw " + i);
            }
        }
    }

    @Test
    void givesTheDocumentedKnownValues() {
        // SplitMix64 from seed 0: the published reference sequence.
        Rng rng = new Rng(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        // The third draw, 0x06C45D188009454F, as a float: its top 24 bits times 2^-24.
        assertEquals(0x06C45DL * 0x1.0p-24f, rng.nextFloat());
        // The fourth, 0xF88BB8A8724C81EC, as a double: its top 53 bits times 2^-53.
        assertEquals((0xF88BB8A8724C81ECL >>> 11) * 0x1.0p-53, rng.nextDouble());
    }

    @Test
    void gaussianIsBoxMullerWithStrictMath() {
        Rng rng = new Rng(42);
        Rng raw = new Rng(42);
        double u1 = 1.0 - raw.nextDouble();
        double u2 = raw.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        assertEquals(r * StrictMath.cos(2.0 * StrictMath.PI * u2), rng.nextGaussian());
        assertEquals(r * StrictMath.sin(2.0 * StrictMath.PI * u2), rng.nextGaussian());
    }

    @Test
    void gaussianSamplesHaveUnitMomentsAndUniformsStayInRange() {
        Rng rng = new Rng(3);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            sumSq += g * g;
            float u = rng.nextFloat();
            assertTrue(u >= 0 && u < 1, "uniform out of [0, 1): " + u);
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sumSq / n, 0.01);
    }

    @Test
    void splitStreamsDependOnlyOnSeedAndName() {
        Rng a = new Rng(9);
        Rng b = new Rng(9);
        b.nextLong(); // drawing from the parent must not move its children
        assertEquals(a.split("init").nextLong(), b.split("init").nextLong());
        assertEquals(a.split(5).nextLong(), b.split(5).nextLong());
        assertNotEquals(a.split("init").nextLong(), a.split("shuffle").nextLong());
        assertNotEquals(a.split(5).nextLong(), a.split(6).nextLong());
    }

    @Test
    void nextIntIsUnbiasedOverItsRange() {
        Rng rng = new Rng(11);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[rng.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
    }
}
