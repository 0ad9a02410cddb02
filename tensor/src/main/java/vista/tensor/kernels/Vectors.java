package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every fast kernel uses, fixed once per JVM.
 *
 * <p>Default: the widest the hardware has ({@code SPECIES_PREFERRED}). The system property
 * {@code vista.vector.bits} (128, 256 or 512) forces a narrower one, to check that results do not depend
 * on the width; a width above the hardware's is refused, because the JDK would emulate it about 50x
 * slower. The species is a {@code static final} constant so the JIT can fold it: passing a species
 * around as an argument boxes vectors and costs about 80x.
 */
public final class Vectors {
    /** The float species of all fast kernels. */
    public static final VectorSpecies<Float> FLOAT = chooseSpecies(System.getProperty("vista.vector.bits"));

    /** Lanes of {@link #FLOAT}. */
    public static final int LANES = FLOAT.length();

    private Vectors() {
    }

    static VectorSpecies<Float> chooseSpecies(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) {
            return preferred;
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
        if (wanted > preferred.vectorBitSize()) {
            throw new IllegalArgumentException("vista.vector.bits=" + wanted + " is wider than this CPU's "
                    + preferred.vectorBitSize() + "-bit vectors; choose " + preferred.vectorBitSize() + " or less");
        }
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(wanted));
    }
}
