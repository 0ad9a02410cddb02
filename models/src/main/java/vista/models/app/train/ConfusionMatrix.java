package vista.models.app.train;

import java.util.List;

/**
 * Counts of (true class, predicted class) pairs: entry (t, p) is the number of images of class t that
 * the model classified as p. The diagonal holds the correct answers; row t sums to the number of
 * images of class t.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    /** An empty matrix for {@code numClasses} classes. */
    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: needs at least one class, got " + numClasses);
        }
        counts = new long[numClasses][numClasses];
    }

    /** Counts one image of class {@code trueClass} predicted as {@code predicted}. */
    public void add(int trueClass, int predicted) {
        counts[trueClass][predicted]++;
    }

    public int numClasses() {
        return counts.length;
    }

    /** Images of class {@code trueClass} predicted as {@code predicted}. */
    public long count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    /** Images of class {@code trueClass}. */
    public long rowTotal(int trueClass) {
        long n = 0;
        for (long c : counts[trueClass]) {
            n += c;
        }
        return n;
    }

    /**
     * The matrix as text: one row per true class, labelled with its number and name; one column per
     * predicted class, headed by its number; and a last column with the share of the row predicted
     * correctly.
     * <pre>
     *   true \ predicted     0     1 ...  correct
     *    0 T-shirt/top     812     3 ...    81.2%
     * </pre>
     */
    public String format(List<String> classNames) {
        int k = counts.length;
        if (classNames.size() != k) {
            throw new IllegalArgumentException("ConfusionMatrix.format: " + k + " classes but " + classNames.size()
                    + " names");
        }
        long largest = k - 1;
        int nameWidth = "true \\ predicted".length();
        for (int t = 0; t < k; t++) {
            for (long c : counts[t]) {
                largest = Math.max(largest, c);
            }
            nameWidth = Math.max(nameWidth, String.valueOf(k - 1).length() + 1 + classNames.get(t).length());
        }
        int cell = Math.max(5, String.valueOf(largest).length() + 1);
        StringBuilder sb = new StringBuilder();
        sb.append(pad("true \\ predicted", nameWidth, false));
        for (int p = 0; p < k; p++) {
            sb.append(pad(String.valueOf(p), cell, true));
        }
        sb.append("  correct\n");
        int numberWidth = String.valueOf(k - 1).length();
        for (int t = 0; t < k; t++) {
            sb.append(pad(pad(String.valueOf(t), numberWidth, true) + " " + classNames.get(t), nameWidth, false));
            for (int p = 0; p < k; p++) {
                sb.append(pad(String.valueOf(counts[t][p]), cell, true));
            }
            long total = rowTotal(t);
            sb.append(pad(total == 0 ? "-" : String.format("%.1f%%", 100.0 * counts[t][t] / total), 9, true));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
