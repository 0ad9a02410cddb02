package vista.bench.check;

import java.util.Objects;

/**
 * The machine a figure was measured on. Two figures are compared only when their {@link #sameAs} holds:
 * the same CPU model, core count, JDK version and PyTorch version ({@code vectorBits} follows from the CPU
 * and is recorded for the reader).
 *
 * @param cpu the CPU model, the first {@code model name} of {@code /proc/cpuinfo}
 * @param cores the logical processors {@code /proc/cpuinfo} lists
 * @param vectorBits the width of Vista's float vectors, in bits
 * @param java the JDK's version ({@code java.version})
 * @param torch PyTorch's version ({@code torch.__version__}), or null when PyTorch did not run
 */
public record Machine(String cpu, int cores, int vectorBits, String java, String torch) {

    /** Whether figures measured on {@code this} and on {@code other} may be compared. */
    public boolean sameAs(Machine other) {
        return other != null && cpu.equals(other.cpu) && cores == other.cores && java.equals(other.java)
                && Objects.equals(torch, other.torch);
    }

    /** This machine with PyTorch's version set. */
    public Machine withTorch(String version) {
        return new Machine(cpu, cores, vectorBits, java, version);
    }

    /**
     * The CPU model and core count of {@code cpuinfo}, the text of {@code /proc/cpuinfo}: the value of the
     * first {@code model name} line (or, on machines without one, of {@code Hardware} or {@code cpu model};
     * else {@code "unknown"}), and the number of {@code processor} lines (at least 1).
     */
    public static Machine fromCpuinfo(String cpuinfo, int vectorBits, String java, String torch) {
        String model = null;
        String fallback = null;
        int processors = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("processor")) {
                processors++;
            } else if (key.equals("model name") && model == null) {
                model = value;
            } else if ((key.equals("Hardware") || key.equals("cpu model")) && fallback == null) {
                fallback = value;
            }
        }
        String cpu = model != null ? model : fallback != null ? fallback : "unknown";
        return new Machine(cpu, Math.max(processors, 1), vectorBits, java, torch);
    }
}
