package vista.bench.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How many cores other processes kept busy while bench-check's own processes ran, from Linux's counters
 * (in clock ticks): the busy time of all CPUs in {@code /proc/stat}'s {@code cpu} line (user, nice, system,
 * irq, softirq; idle, iowait and steal are not busy) minus this JVM's own time and that of its finished
 * children in {@code /proc/self/stat} (utime, stime, cutime, cstime: a child's time counts once it has been
 * waited for), over the time that passed on every CPU. Other processes' load in cores is then
 * {@code (busy - ours) / total * cores}.
 */
final class CpuLoad {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    /**
     * The counters at one moment, in clock ticks.
     *
     * @param busy busy time summed over all CPUs
     * @param total all time summed over all CPUs
     * @param ours this process's time and its waited-for children's
     */
    record Sample(long busy, long total, long ours) {
    }

    private CpuLoad() {
    }

    /** The counters now, or empty where {@code /proc} cannot be read (not Linux). */
    static Optional<Sample> sample() {
        try {
            String cpu = Files.readAllLines(STAT).get(0);
            String self = Files.readString(SELF);
            long[] times = cpuTimes(cpu);
            return Optional.of(new Sample(times[0], times[1], ownTicks(self)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The clock ticks other processes were busy between two samples (never below 0). */
    static long otherTicks(Sample before, Sample after) {
        return Math.max(0, (after.busy() - before.busy()) - (after.ours() - before.ours()));
    }

    /** The 1-minute load average of {@code /proc/loadavg}, or empty where it cannot be read. */
    static Optional<Double> loadAverage() {
        try {
            return Optional.of(Double.parseDouble(Files.readString(LOADAVG).strip().split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * {busy, total} of {@code /proc/stat}'s first line, {@code cpu user nice system idle iowait irq softirq
     * steal guest guest_nice} (guest time is already inside user and nice, so it is not added again).
     */
    static long[] cpuTimes(String cpuLine) {
        String[] f = cpuLine.strip().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 8) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq;
        return new long[] {busy, busy + idle + iowait + steal};
    }

    /**
     * utime + stime + cutime + cstime of a {@code /proc/PID/stat} text, fields 14 to 17; the fields are
     * counted after the command name's closing parenthesis, since the name may hold spaces.
     */
    static long ownTicks(String selfStat) {
        String[] f = selfStat.substring(selfStat.lastIndexOf(')') + 1).strip().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
