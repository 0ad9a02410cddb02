package vista.learn.exercises;

/**
 * Exercise, chapter 6 (docs/learn/06-sasa.md): one logit of SASA's local self-attention.
 * <pre>
 *   logit = s ( sum over d < dh of q[d] k[d]                  (content: does the neighbour match?)
 *             + sum over d < h  of q[d]     relRow[d]          (where: the neighbour's row offset)
 *             + sum over d < h  of q[h + d] relColumn[d] )     (where: its column offset)
 * </pre>
 * with dh the head's channels and h = dh / 2: the first half of the query meets the row embedding, the
 * second half the column embedding. The fused kernel computes this for every pixel, head and neighbour
 * ({@code logit} in {@code tensor/src/main/java/vista/tensor/kernels/LocalSelfAttentionReference.java}).
 *
 * <p>Check your answer with {@code ./vista learn --check 6}.
 */
public final class SasaLogitExercise implements SasaLogit {
    @Override
    public double logit(double[] query, double[] key, double[] relRow, double[] relColumn, double scale) {
        throw new UnsupportedOperationException("your code here");
    }
}
