package vista.learn.exercises;

/** The logit of one query pixel and one neighbour in SASA's local self-attention, for one head. */
interface SasaLogit {
    /**
     * {@code s (q . k + q[:h] . relRow + q[h:] . relColumn)}: {@code query} and {@code key} have the head's
     * dh channels, {@code relRow} and {@code relColumn} are the rows of the relative-embedding tables for this
     * neighbour's row offset and column offset ({@code h = dh / 2} values each), {@code scale} is s.
     */
    double logit(double[] query, double[] key, double[] relRow, double[] relColumn, double scale);
}
