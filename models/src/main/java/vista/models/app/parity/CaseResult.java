package vista.models.app.parity;

import java.util.List;

/**
 * The outcome of one parity case.
 *
 * @param name        the case (its folder's name)
 * @param op          the op it names ({@code "?"} if case.json could not be read)
 * @param status      passed, failed or skipped
 * @param message     why it was skipped, the error that stopped it (a sentence naming the file), or for a
 *                    passed {@code reject} checkpoint case Vista's refusal; null when it ran to the comparisons
 * @param comparisons one per compared tensor, in case.json's order (empty when skipped or stopped)
 */
public record CaseResult(String name, String op, Status status, String message, List<TensorComparison> comparisons) {

    public enum Status {
        PASSED,
        FAILED,
        SKIPPED
    }

    public CaseResult {
        comparisons = List.copyOf(comparisons);
    }

    static CaseResult compared(String name, String op, List<TensorComparison> comparisons) {
        boolean ok = !comparisons.isEmpty() && comparisons.stream().allMatch(TensorComparison::passed);
        return new CaseResult(name, op, ok ? Status.PASSED : Status.FAILED,
                comparisons.isEmpty() ? "the case compares no tensor" : null, comparisons);
    }

    static CaseResult failed(String name, String op, String message) {
        return new CaseResult(name, op, Status.FAILED, message, List.of());
    }

    /** A {@code reject} checkpoint case that passed: Vista refused the file with {@code refusal}. */
    static CaseResult refused(String name, String op, String refusal) {
        return new CaseResult(name, op, Status.PASSED, refusal, List.of());
    }

    static CaseResult skipped(String name, String op, String reason) {
        return new CaseResult(name, op, Status.SKIPPED, reason, List.of());
    }

    /** The largest |actual - expected| over the compared tensors (NaN if none was compared). */
    public double worstAbsDiff() {
        return comparisons.stream().mapToDouble(TensorComparison::maxAbsDiff).max().orElse(Double.NaN);
    }

    /** The largest |actual - expected| / (atol + rtol |expected|) over the compared tensors (NaN if none). */
    public double worstRatio() {
        return comparisons.stream().mapToDouble(TensorComparison::worstRatio).max().orElse(Double.NaN);
    }

    /** The compared tensors that failed. */
    public List<TensorComparison> failures() {
        return comparisons.stream().filter(c -> !c.passed()).toList();
    }
}
