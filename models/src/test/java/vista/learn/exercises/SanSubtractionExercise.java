package vista.learn.exercises;

import vista.tensor.Tensor;

/**
 * Exercise, chapter 7 (docs/learn/07-san.md): SAN's subtraction relation, with reflection padding.
 * <pre>
 *   r[n, c, a k + b, i W + j] = x1[n, c, i, j] - x2[n, c, reflect(i - pad + a), reflect(j - pad + b)]
 *   pad = k / 2
 *   reflect(p) = -p            if p < 0          (the border pixel is the mirror, not repeated: -1 -> 1)
 *              = 2 (S - 1) - p if p >= S         (S the side: H for rows, W for columns)
 *              = p             otherwise
 * </pre>
 * Build the result with {@code Tensor.zeros(x1.dtype(), Shape.of(N, C, k * k, H * W))} and fill it with
 * {@code set(value, n, c, a * k + b, i * W + j)}; read the inputs with {@code x1.get(n, c, i, j)}. Vista's
 * version is {@code tensor/src/main/java/vista/tensor/kernels/SubtractionReference.java} with the geometry in
 * {@code tensor/src/main/java/vista/tensor/geometry/Footprint.java}.
 *
 * <p>Check your answer with {@code ./vista learn --check 7}.
 */
public final class SanSubtractionExercise implements SanSubtraction {
    @Override
    public Tensor relation(Tensor x1, Tensor x2, int kernelSize) {
        throw new UnsupportedOperationException("your code here");
    }
}
