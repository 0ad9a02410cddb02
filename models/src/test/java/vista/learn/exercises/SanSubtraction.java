package vista.learn.exercises;

import vista.tensor.Tensor;

/** SAN's subtraction relation over a k x k footprint with stride 1 and reflection padding. */
interface SanSubtraction {
    /**
     * {@code r[n, c, a k + b, i W + j] = x1[n, c, i, j] - x2[n, c, reflect(i - pad + a), reflect(j - pad + b)]}
     * for x1 and x2 of shape {@code (N, C, H, W)}, {@code pad = k / 2}; the result is {@code (N, C, k k, H W)}.
     */
    Tensor relation(Tensor x1, Tensor x2, int kernelSize);
}
