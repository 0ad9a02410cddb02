package vista.tensor.fuzz;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import vista.tensor.Rng;

/**
 * A seeded, reproducible fuzz campaign against one reader of untrusted bytes (a small harness written
 * for Vista's tests; it needs no library).
 *
 * <p><b>The property.</b> For every input the reader either refuses it as the campaign's {@link Refusal}
 * says (its own error type, a clear message that names the file), or returns a result that the
 * campaign's {@link ResultCheck} accepts (a correct reading of exactly those bytes). Any other exception
 * or error, an input that takes longer than the per-input timeout (a hang), or an input whose reading
 * allocates more than a fixed allowance plus a small multiple of the input's size (an allocation sized by
 * a length field that no bytes back) is a failure.
 *
 * <p><b>The inputs.</b> A file is given by its <i>structure</i>, the bytes the reader's parser
 * interprets, and optionally an <i>encoding</i> that turns it into the stored bytes: gzip compression,
 * or a checksum recomputed over the changed bytes. <i>Inner</i> mutations change the structure and then
 * encode it, so that they reach the parser behind the compression or the checksum; <i>outer</i>
 * mutations change the stored bytes. The cases, numbered from 0:
 * <ol>
 *   <li>systematic, always all of them: the unchanged file (which must read correctly); the structure
 *       truncated at every offset (for files over 256 bytes: at every offset of the first 128 bytes, at
 *       64 others spread over the rest and at the last 8); one and 1000 bytes appended; every declared
 *       {@link Field} set to each of its {@linkplain Field#extremes extremes}; the campaign's own extra
 *       mutations; and, if there is an encoding, the stored bytes truncated and appended to in the same
 *       way;</li>
 *   <li>random: case {@code n} draws one {@link Mutation#random random mutation} (inner, or outer for a
 *       third of them if there is an encoding) from its own stream {@code new Rng(seed).split(n)}, until
 *       the number of random cases or the time budget is used up.</li>
 * </ol>
 *
 * <p><b>Replaying.</b> A failure report names the campaign, the seed, each failing case's number and its
 * mutation in words. System properties: {@code -Dvista.fuzz.seed=S} sets every campaign's seed,
 * {@code -Dvista.fuzz.case=N} runs only case N, and {@code -Dvista.fuzz.cases=K} runs K random cases
 * whatever the time they take (for a long hunt on one's own machine).
 */
public final class FuzzCampaign {
    /** Reads stored bytes as the reader under test would read a file holding them. */
    @FunctionalInterface
    public interface Reader<R> {
        R read(byte[] stored) throws Exception;
    }

    /** Checks that {@code result} is a correct reading of {@code stored}; throws an AssertionError if not. */
    @FunctionalInterface
    public interface ResultCheck<R> {
        void check(byte[] stored, R result) throws Exception;
    }

    /**
     * What a campaign did.
     *
     * @param campaign its name
     * @param seed     its seed
     * @param inputs   inputs read
     * @param refused  inputs refused with a clear error
     * @param accepted inputs read (and checked)
     * @param elapsed  the time it took
     */
    public record Report(String campaign, long seed, int inputs, int refused, int accepted, Duration elapsed) {
    }

    private static final long DEFAULT_SEED = 0x5EED_F022L;
    private static final int ALL_OFFSETS_UP_TO = 256;
    private static final int FAILURES_SHOWN = 20;

    private final String name;
    private final byte[] structure;
    private String encodingName;
    private UnaryOperator<byte[]> encoding;
    private final List<Field> fields = new ArrayList<>();
    private final List<Mutation> extraMutations = new ArrayList<>();
    private int randomCases = 2000;
    private Duration budget = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofSeconds(10);
    private long allocationAllowance = 32L << 20;
    private long seed = DEFAULT_SEED;

    private FuzzCampaign(String name, byte[] structure) {
        this.name = name;
        this.structure = structure.clone();
    }

    /** A campaign named {@code name} (in failure reports) over the file whose structure is {@code structure}. */
    public static FuzzCampaign of(String name, byte[] structure) {
        return new FuzzCampaign(name, structure);
    }

    /** The integer fields (lengths, counts, dimensions) of the structure, each set to its extremes. */
    public FuzzCampaign fields(List<Field> more) {
        fields.addAll(more);
        return this;
    }

    /** Stores the structure through {@code encode} (e.g. "gzip", or "checksum recomputed"). */
    public FuzzCampaign encodedAs(String encodingName, UnaryOperator<byte[]> encode) {
        this.encodingName = encodingName;
        this.encoding = encode;
        return this;
    }

    /** Systematic mutations of the structure that only this format needs. */
    public FuzzCampaign mutations(List<Mutation> more) {
        extraMutations.addAll(more);
        return this;
    }

    /** At most {@code count} random cases (default 2000), within {@link #budget}. */
    public FuzzCampaign randomCases(int count) {
        randomCases = count;
        return this;
    }

    /** The time the random cases may take (default 1 s); the systematic cases always all run. */
    public FuzzCampaign budget(Duration time) {
        budget = time;
        return this;
    }

    /** The time one input may take before the campaign calls it a hang (default 10 s). */
    public FuzzCampaign timeout(Duration time) {
        timeout = time;
        return this;
    }

    /** Reading one input may allocate this many bytes plus 32 times the input's size (default 32 MiB). */
    public FuzzCampaign allocationAllowance(long bytes) {
        allocationAllowance = bytes;
        return this;
    }

    /** The seed of the random cases (a fixed default; {@code -Dvista.fuzz.seed} overrides both). */
    public FuzzCampaign seed(long value) {
        seed = value;
        return this;
    }

    /** One input: its number, whether the mutation is outer, and the mutation. */
    private record Case(int number, boolean outer, Mutation mutation) {
        String describe() {
            return "case " + number + " (" + (outer ? "stored bytes" : "structure") + "): " + mutation;
        }
    }

    /** What reading one input did: the result or what it threw, and the bytes it allocated (-1: unknown). */
    private record Outcome(Object result, Throwable thrown, long allocated) {
    }

    /**
     * Runs the campaign: every input must be refused as {@code refusal} says or read by {@code reader}
     * into a result {@code check} accepts, in time and within the allocation allowance.
     *
     * @throws AssertionError listing every failing case, with the seed, the mutation and what happened
     */
    public <R> Report run(Refusal refusal, Reader<R> reader, ResultCheck<R> check) {
        long usedSeed = Long.getLong("vista.fuzz.seed", seed);
        Integer only = Integer.getInteger("vista.fuzz.case");
        Integer casesOverride = Integer.getInteger("vista.fuzz.cases");
        int random = casesOverride != null ? casesOverride : randomCases;
        Duration randomBudget = casesOverride != null ? Duration.ofDays(1) : budget;
        byte[] encoded = encode(structure);
        List<Case> cases = systematicCases(encoded);
        int systematic = cases.size();

        List<String> failures = new ArrayList<>();
        Throwable firstCause = null;
        int refused = 0;
        int accepted = 0;
        int inputs = 0;
        long start = System.nanoTime();
        long randomDeadline = Long.MAX_VALUE;
        ExecutorService worker = newWorker();
        try {
            for (int n = 0; n < systematic + random; n++) {
                if (n == systematic) {
                    randomDeadline = System.nanoTime() + randomBudget.toNanos();
                }
                if (n >= systematic && System.nanoTime() > randomDeadline) {
                    break;
                }
                if (only != null && n != only) {
                    continue;
                }
                Case c = n < systematic ? cases.get(n) : randomCase(usedSeed, n, encoded);
                byte[] stored = c.outer ? c.mutation.applyTo(encoded) : encode(c.mutation.applyTo(structure));
                inputs++;
                Future<Outcome> future = worker.submit(() -> readOnce(reader, stored));
                Outcome outcome;
                try {
                    outcome = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker();
                    failures.add(c.describe() + ": did not finish within " + timeout.toMillis() + " ms (a hang?)");
                    continue;
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("fuzz campaign " + name + ": the worker failed", e);
                }
                String problem = n == 0 && outcome.thrown != null
                        ? "refused the unchanged file: " + outcome.thrown
                        : problem(refusal, check, stored, outcome, allowanceFor(stored));
                if (problem == null) {
                    if (outcome.thrown == null) {
                        accepted++;
                    } else {
                        refused++;
                    }
                } else {
                    failures.add(c.describe() + ": " + problem);
                    if (firstCause == null) {
                        firstCause = outcome.thrown;
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!failures.isEmpty()) {
            throw new AssertionError(failureReport(usedSeed, inputs, failures), firstCause);
        }
        return new Report(name, usedSeed, inputs, refused, accepted, elapsed);
    }

    private byte[] encode(byte[] bytes) {
        return encoding == null ? bytes : encoding.apply(bytes.clone());
    }

    private long allowanceFor(byte[] stored) {
        return allocationAllowance + 32L * Math.max(stored.length, structure.length);
    }

    private List<Case> systematicCases(byte[] encoded) {
        List<Mutation> inner = new ArrayList<>();
        inner.add(Mutation.none());
        for (int length : truncations(structure.length)) {
            inner.add(Mutation.truncate(length));
        }
        inner.add(Mutation.append(1, 0));
        inner.add(Mutation.append(1000, 0xFF));
        for (Field field : fields) {
            for (long value : field.extremes(structure)) {
                inner.add(Mutation.set(field, value));
            }
        }
        inner.addAll(extraMutations);
        List<Case> cases = new ArrayList<>();
        for (Mutation m : inner) {
            cases.add(new Case(cases.size(), false, m));
        }
        if (encoding != null) {
            List<Mutation> outer = new ArrayList<>();
            for (int length : truncations(encoded.length)) {
                outer.add(Mutation.truncate(length));
            }
            outer.add(Mutation.append(1, 0));
            outer.add(Mutation.append(16, 0xFF));
            for (Mutation m : outer) {
                cases.add(new Case(cases.size(), true, m));
            }
        }
        return cases;
    }

    /** Every length below {@code n} for small files; else the first 128, 64 spread over the rest, and the last 8. */
    private static List<Integer> truncations(int n) {
        List<Integer> lengths = new ArrayList<>();
        if (n <= ALL_OFFSETS_UP_TO) {
            for (int i = 0; i < n; i++) {
                lengths.add(i);
            }
            return lengths;
        }
        for (int i = 0; i < 128; i++) {
            lengths.add(i);
        }
        for (int k = 1; k <= 64; k++) {
            lengths.add(128 + (int) ((long) (n - 136) * k / 65));
        }
        for (int i = n - 8; i < n; i++) {
            lengths.add(i);
        }
        return lengths;
    }

    private Case randomCase(long usedSeed, int number, byte[] encoded) {
        Rng rng = new Rng(usedSeed).split(number);
        boolean outer = encoding != null && rng.nextInt(3) == 0;
        Mutation m = outer ? Mutation.random(rng, encoded, List.of()) : Mutation.random(rng, structure, fields);
        return new Case(number, outer, m);
    }

    private static <R> Outcome readOnce(Reader<R> reader, byte[] stored) {
        long before = allocatedBytes();
        try {
            R result = reader.read(stored);
            return new Outcome(result, null, allocatedSince(before));
        } catch (Throwable t) {
            return new Outcome(null, t, allocatedSince(before));
        }
    }

    /** Null if {@code outcome} has the property, else what is wrong with it. */
    @SuppressWarnings("unchecked")
    private <R> String problem(Refusal refusal, ResultCheck<R> check, byte[] stored, Outcome outcome, long allowance) {
        if (outcome.allocated > allowance) {
            return "allocated " + outcome.allocated + " bytes for a " + stored.length + "-byte input, more than the "
                    + allowance + " allowed (an allocation sized by an unchecked length?); it then "
                    + (outcome.thrown == null ? "returned a result" : "threw " + outcome.thrown);
        }
        if (outcome.thrown == null) {
            try {
                check.check(stored, (R) outcome.result);
                return null;
            } catch (Throwable t) {
                return "accepted the input but read it wrongly: " + t.getMessage();
            }
        }
        if (refusal.accepts(outcome.thrown)) {
            return null;
        }
        if (refusal.type().isInstance(outcome.thrown)) {
            return "refused it with an unclear message (it must " + refusal.description()
                    + " and leak no Java internals): " + outcome.thrown.getMessage();
        }
        return "threw " + outcome.thrown + " instead of " + refusal.type().getSimpleName() + " whose message must "
                + refusal.description();
    }

    private String failureReport(long usedSeed, int inputs, List<String> failures) {
        StringBuilder sb = new StringBuilder("fuzz campaign '" + name + "' (seed " + usedSeed
                + (encodingName == null ? "" : ", stored as " + encodingName) + "): " + failures.size() + " of "
                + inputs + " inputs broke the property");
        for (String f : failures.subList(0, Math.min(FAILURES_SHOWN, failures.size()))) {
            sb.append("\n  ").append(f);
        }
        if (failures.size() > FAILURES_SHOWN) {
            sb.append("\n  ... and ").append(failures.size() - FAILURES_SHOWN).append(" more");
        }
        sb.append("\nreplay one case with -Dvista.fuzz.seed=").append(usedSeed).append(" -Dvista.fuzz.case=N");
        return sb.toString();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "fuzz " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Bytes allocated on the heap by all threads so far, or -1 if the JVM does not count them. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean counting
                && counting.isThreadAllocatedMemorySupported() && counting.isThreadAllocatedMemoryEnabled()) {
            return counting.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    private static long allocatedSince(long before) {
        return before < 0 ? -1 : allocatedBytes() - before;
    }
}
