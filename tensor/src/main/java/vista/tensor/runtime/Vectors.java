package vista.tensor.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every fast kernel uses, fixed once per JVM.
 *
 * <p>Default: the widest the hardware has ({@code SPECIES_PREFERRED}), up to {@value #MAX_BITS} bits. The
 * kernels' fixed summation orders are defined on 16 logical accumulators (see {@link LogicalLanes}),
 * which one 512-bit vector holds; a CPU with wider vectors (some ARM SVE designs) runs them at 512 bits.
 * The system property {@code vista.vector.bits} (128, 256 or 512) forces a narrower one, to check that
 * results do not depend on the width; a width above the hardware's is refused, because the JDK would
 * emulate it about 50x slower. The species is a {@code static final} constant so the JIT can fold it:
 * passing a species around as an argument boxes vectors and costs about 80x.
 */
public final class Vectors {
    /** The widest species the kernels use: 16 float lanes. */
    static final int MAX_BITS = 512;

    /** The float species of all fast kernels. */
    public static final VectorSpecies<Float> FLOAT = chooseSpecies(System.getProperty("vista.vector.bits"),
            FloatVector.SPECIES_PREFERRED.vectorBitSize());

    /** Lanes of {@link #FLOAT}. */
    public static final int LANES = FLOAT.length();

    private Vectors() {
    }

    /**
     * The species for the property value {@code bits} (null or blank: the default) on hardware whose
     * widest float vectors have {@code hardwareBits} bits.
     */
    static VectorSpecies<Float> chooseSpecies(String bits, int hardwareBits) {
        int widest = Math.min(hardwareBits, MAX_BITS);
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(widest));
        }
        int wanted;
        try {
            wanted = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vista.vector.bits must be 128, 256 or 512, got '" + bits + "'");
        }
        if (wanted != 128 && wanted != 256 && wanted != 512) {
            throw new IllegalArgumentException("vista.vector.bits must be 128, 256 or 512, got " + wanted);
        }
        if (wanted > hardwareBits) {
            throw new IllegalArgumentException("vista.vector.bits=" + wanted + " is wider than this CPU's "
                    + hardwareBits + "-bit vectors; choose " + widest + " or less");
        }
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(wanted));
    }
}
