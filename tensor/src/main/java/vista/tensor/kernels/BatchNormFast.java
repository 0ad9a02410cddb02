package vista.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 batch normalisation of {@link BatchNormKernels}: Vector API, parallel over channels,
 * and sums whose order depends neither on the thread count nor on the vector width.
 *
 * <p><b>Tiles.</b> A tile is a range of whole channels (as many as make about {@value #TILE} values),
 * so each channel's statistics are computed from start to end by one thread and nothing is ever summed
 * across threads.
 *
 * <p><b>The order of a channel's sums.</b> A channel's values are N runs of L contiguous floats, run i
 * starting at {@code (i C + c) L}. The runs are grouped into blocks of {@code max(1, 4096 / L)}
 * consecutive runs (a choice made from the shape alone). In a block, value l of every run goes to
 * logical accumulator {@code l mod 16} (16 float accumulators, run after run, in increasing l: one
 * 16-lane vector, two of 8 or four of 4, whatever the hardware has); the 16 accumulators are combined by
 * the fixed tree of {@link ReductionsFast}, and the block results are added in double precision, in
 * block order. Blocks bound the number of float additions into one accumulator (about 256), which keeps
 * the statistics of large feature maps accurate.
 *
 * <p><b>Passes.</b> Forward: the sum (giving μ), the sum of squared deviations {@code (x - μ)²} with
 * one FMA each (giving σ², two passes as in {@link ReductionsFast#var}), then
 * {@code y = fma(x - μ, γ r, β)}. Backward: one pass for {@code sum g} and {@code sum g (x - μ)} (so
 * {@code sum g x̂ = r sum g (x - μ)}), then {@code dx = γ r ((g - a) - (x - μ) b)} with
 * {@code a = sum g / n} and {@code b = r sum g x̂ / n}. Per-channel scalars are formed in double from
 * the float sums.
 *
 * <p><b>With a ReLU</b> ({@link #trainRelu}, {@link #backwardRelu}): the normalising pass writes
 * {@code fma(x - μ, γ r, β)}, then 0 wherever that is {@code <= 0}, the blend of
 * {@link Tensor#relu()}; backward multiplies each loaded g by {@code z > 0 ? 1 : 0} (z the output), the
 * product of the ReLU's backward, before the same operations as without it. The bits are those of the two
 * operations run one after the other.
 */
final class BatchNormFast {
    /** Values of work aimed at per tile. */
    private static final int TILE = 1 << 15;
    /** Values per block of runs (at least one run): the unit whose 16 float accumulators are combined. */
    private static final int BLOCK = 1 << 12;
    private static final int ACCUMULATORS = LogicalLanes.COUNT;
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    private BatchNormFast() {
    }

    /** {@link BatchNormKernels#train} for float32. */
    static BatchNormKernels.Forward train(Tensor x, Tensor weight, Tensor bias, double eps) {
        return train(x, weight, bias, eps, false);
    }

    /** {@link BatchNormKernels#trainRelu} for float32. */
    static BatchNormKernels.Forward trainRelu(Tensor x, Tensor weight, Tensor bias, double eps) {
        return train(x, weight, bias, eps, true);
    }

    private static BatchNormKernels.Forward train(Tensor x, Tensor weight, Tensor bias, double eps, boolean relu) {
        Tensor xc = x.contiguous();
        float[] src = xc.floats();
        int base = xc.offset();
        int batch = x.dim(0);
        int channels = x.dim(1);
        int l = BatchNormKernels.spatial(x);
        int n = batch * l;
        int stride = channels * l;
        int runsPerBlock = Math.max(1, BLOCK / Math.max(1, l));
        float[] gamma = weight.toFloatArray();
        float[] beta = bias.toFloatArray();
        Tensor output = Tensor.unfilled(DType.FLOAT32, x.shape());
        float[] out = output.floats();
        float[] mean = new float[channels];
        float[] variance = new float[channels];
        float[] inverseStd = new float[channels];
        int channelsPerTile = Math.max(1, TILE / n);
        Tiles.forEach(Tiles.count(channels, channelsPerTile), t -> {
            float[] scratch = new float[ACCUMULATORS];
            for (int c = t * channelsPerTile; c < Math.min(channels, (t + 1) * channelsPerTile); c++) {
                int first = base + c * l;
                double total = 0;
                for (int i = 0; i < batch; i += runsPerBlock) {
                    total += blockSum(src, first + i * stride, Math.min(runsPerBlock, batch - i), stride, l, scratch);
                }
                float mu = (float) (total / n);
                double squares = 0;
                for (int i = 0; i < batch; i += runsPerBlock) {
                    squares += blockSquares(src, first + i * stride, Math.min(runsPerBlock, batch - i), stride, l,
                            mu, scratch);
                }
                float var = (float) (squares / n);
                float r = (float) (1 / Math.sqrt(var + eps));
                if (relu) {
                    normaliseRelu(src, first, out, c * l, batch, stride, l, mu, gamma[c] * r, beta[c]);
                } else {
                    normalise(src, first, out, c * l, batch, stride, l, mu, gamma[c] * r, beta[c]);
                }
                mean[c] = mu;
                variance[c] = var;
                inverseStd[c] = r;
            }
        });
        return new BatchNormKernels.Forward(output, vector(mean),
                vector(variance), vector(inverseStd));
    }

    /** {@link BatchNormKernels#backward} for float32. */
    static BatchNormKernels.Gradients backward(Tensor gradOutput, Tensor x, Tensor weight, Tensor mean,
                                               Tensor inverseStd, boolean inputGradient) {
        return backward(gradOutput, null, x, weight, mean, inverseStd, inputGradient);
    }

    /** {@link BatchNormKernels#backwardRelu} for float32. */
    static BatchNormKernels.Gradients backwardRelu(Tensor gradOutput, Tensor output, Tensor x, Tensor weight,
                                                   Tensor mean, Tensor inverseStd, boolean inputGradient) {
        return backward(gradOutput, output.contiguous(), x, weight, mean, inverseStd, inputGradient);
    }

    /** The gradients, with g masked by {@code reluOutput > 0} unless reluOutput is null (then contiguous). */
    private static BatchNormKernels.Gradients backward(Tensor gradOutput, Tensor reluOutput, Tensor x, Tensor weight,
                                                       Tensor mean, Tensor inverseStd, boolean inputGradient) {
        Tensor gc = gradOutput.contiguous();
        Tensor xc = x.contiguous();
        float[] g = gc.floats();
        float[] src = xc.floats();
        float[] z = reluOutput == null ? null : reluOutput.floats();
        int zBase = reluOutput == null ? 0 : reluOutput.offset();
        int batch = x.dim(0);
        int channels = x.dim(1);
        int l = BatchNormKernels.spatial(x);
        int n = batch * l;
        int stride = channels * l;
        int runsPerBlock = Math.max(1, BLOCK / Math.max(1, l));
        float[] gamma = weight.toFloatArray();
        float[] mu = mean.toFloatArray();
        float[] r = inverseStd.toFloatArray();
        Tensor inputGrad = inputGradient ? Tensor.unfilled(DType.FLOAT32, x.shape()) : null;
        float[] dx = inputGradient ? inputGrad.floats() : null;
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        int channelsPerTile = Math.max(1, TILE / Math.max(1, n));
        Tiles.forEach(Tiles.count(channels, channelsPerTile), t -> {
            float[] scratch = new float[2 * ACCUMULATORS];
            float[] sums = new float[2];
            for (int c = t * channelsPerTile; c < Math.min(channels, (t + 1) * channelsPerTile); c++) {
                double sumG = 0;
                double sumGD = 0;
                for (int i = 0; i < batch; i += runsPerBlock) {
                    int runs = Math.min(runsPerBlock, batch - i);
                    int at = c * l + i * stride;
                    if (z == null) {
                        blockGradientSums(g, gc.offset() + at, src, xc.offset() + at, runs, stride, l, mu[c], scratch,
                                sums);
                    } else {
                        blockMaskedGradientSums(g, gc.offset() + at, src, xc.offset() + at, z, zBase + at, runs, stride,
                                l, mu[c], scratch, sums);
                    }
                    sumG += sums[0];
                    sumGD += sums[1];
                }
                double sumGXHat = r[c] * sumGD;
                dBeta[c] = (float) sumG;
                dGamma[c] = (float) sumGXHat;
                if (dx != null) {
                    float a = (float) (sumG / n);
                    float b = (float) (r[c] * sumGXHat / n);
                    if (z == null) {
                        inputGradient(g, gc.offset() + c * l, src, xc.offset() + c * l, dx, c * l, batch, stride, l,
                                mu[c], a, b, gamma[c] * r[c]);
                    } else {
                        maskedInputGradient(g, gc.offset() + c * l, src, xc.offset() + c * l, z, zBase + c * l, dx,
                                c * l, batch, stride, l, mu[c], a, b, gamma[c] * r[c]);
                    }
                }
            }
        });
        return new BatchNormKernels.Gradients(inputGrad,
                vector(dGamma), vector(dBeta));
    }

    private static Tensor vector(float[] values) {
        return Tensor.of(new Storage.Floats(values), Shape.of(values.length));
    }

    // ---------------------------------------------------------------- sums over a block of runs
    //
    // Runs start at from, from + stride, ... (runs of them), each l floats long. Hardware vector block k
    // holds logical accumulators k .. k + LANES - 1 and steps through each run 16 values at a time, so
    // accumulator j takes values j, j + 16, ... of every run, in order, whatever LANES is. Each sum has
    // its own loop so that the JIT compiles it with constant operations.

    /** The sum of the block's values. */
    private static float blockSum(float[] data, int from, int runs, int stride, int l, float[] scratch) {
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector acc = FloatVector.zero(S);
            for (int run = 0; run < runs; run++) {
                int start = from + run * stride;
                int end = start + l;
                int i = start + k;
                for (; i <= end - LANES; i += ACCUMULATORS) {
                    acc = acc.add(FloatVector.fromArray(S, data, i));
                }
                if (i < end) {
                    acc = acc.add(FloatVector.fromArray(S, data, i, S.indexInRange(i, end)));
                }
            }
            acc.intoArray(scratch, k);
        }
        return LogicalLanes.sumTree(scratch, 0);
    }

    /** The sum of the block's {@code (x - mean)²}, each added with one FMA. */
    private static float blockSquares(float[] data, int from, int runs, int stride, int l, float mean,
                                      float[] scratch) {
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector acc = FloatVector.zero(S);
            for (int run = 0; run < runs; run++) {
                int start = from + run * stride;
                int end = start + l;
                int i = start + k;
                for (; i <= end - LANES; i += ACCUMULATORS) {
                    FloatVector d = FloatVector.fromArray(S, data, i).sub(m);
                    acc = d.fma(d, acc);
                }
                if (i < end) {
                    VectorMask<Float> inRange = S.indexInRange(i, end);
                    FloatVector d = FloatVector.fromArray(S, data, i, inRange).sub(m);
                    acc = acc.blend(d.fma(d, acc), inRange);
                }
            }
            acc.intoArray(scratch, k);
        }
        return LogicalLanes.sumTree(scratch, 0);
    }

    /**
     * {@code sums[0] = sum g} and {@code sums[1] = sum g (x - mean)} over the block (each product added
     * with one FMA). Out-of-range lanes load g = 0 and so add exactly 0.
     */
    private static void blockGradientSums(float[] g, int gFrom, float[] x, int xFrom, int runs, int stride, int l,
                                          float mean, float[] scratch, float[] sums) {
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector accG = FloatVector.zero(S);
            FloatVector accGD = FloatVector.zero(S);
            for (int run = 0; run < runs; run++) {
                int gStart = gFrom + run * stride;
                int shift = xFrom - gFrom;
                int end = gStart + l;
                int i = gStart + k;
                for (; i <= end - LANES; i += ACCUMULATORS) {
                    FloatVector gv = FloatVector.fromArray(S, g, i);
                    FloatVector d = FloatVector.fromArray(S, x, i + shift).sub(m);
                    accG = accG.add(gv);
                    accGD = gv.fma(d, accGD);
                }
                if (i < end) {
                    VectorMask<Float> inRange = S.indexInRange(i, end);
                    FloatVector gv = FloatVector.fromArray(S, g, i, inRange);
                    FloatVector d = FloatVector.fromArray(S, x, i + shift, inRange).sub(m);
                    accG = accG.add(gv);
                    accGD = gv.fma(d, accGD);
                }
            }
            accG.intoArray(scratch, k);
            accGD.intoArray(scratch, ACCUMULATORS + k);
        }
        sums[0] = LogicalLanes.sumTree(scratch, 0);
        sums[1] = LogicalLanes.sumTree(scratch, ACCUMULATORS);
    }

    /**
     * {@link #blockGradientSums} of the masked gradient {@code g [z > 0]} ({@link #keep}), z the ReLU output
     * at the same offsets from {@code zFrom} as g from {@code gFrom}. Out-of-range lanes load g = 0 and z = 0
     * and so add exactly 0.
     */
    private static void blockMaskedGradientSums(float[] g, int gFrom, float[] x, int xFrom, float[] z, int zFrom,
                                                int runs, int stride, int l, float mean, float[] scratch,
                                                float[] sums) {
        FloatVector m = FloatVector.broadcast(S, mean);
        for (int k = 0; k < ACCUMULATORS; k += LANES) {
            FloatVector accG = FloatVector.zero(S);
            FloatVector accGD = FloatVector.zero(S);
            for (int run = 0; run < runs; run++) {
                int gStart = gFrom + run * stride;
                int shift = xFrom - gFrom;
                int zShift = zFrom - gFrom;
                int end = gStart + l;
                int i = gStart + k;
                for (; i <= end - LANES; i += ACCUMULATORS) {
                    FloatVector gv = FloatVector.fromArray(S, g, i).mul(keep(FloatVector.fromArray(S, z, i + zShift)));
                    FloatVector d = FloatVector.fromArray(S, x, i + shift).sub(m);
                    accG = accG.add(gv);
                    accGD = gv.fma(d, accGD);
                }
                if (i < end) {
                    VectorMask<Float> inRange = S.indexInRange(i, end);
                    FloatVector gv = FloatVector.fromArray(S, g, i, inRange)
                            .mul(keep(FloatVector.fromArray(S, z, i + zShift, inRange)));
                    FloatVector d = FloatVector.fromArray(S, x, i + shift, inRange).sub(m);
                    accG = accG.add(gv);
                    accGD = gv.fma(d, accGD);
                }
            }
            accG.intoArray(scratch, k);
            accGD.intoArray(scratch, ACCUMULATORS + k);
        }
        sums[0] = LogicalLanes.sumTree(scratch, 0);
        sums[1] = LogicalLanes.sumTree(scratch, ACCUMULATORS);
    }

    /** The ReLU's gradient factor: 1 where {@code z > 0}, else 0 (also for NaN). */
    private static FloatVector keep(FloatVector z) {
        return FloatVector.zero(S).blend(1f, z.compare(VectorOperators.GT, 0f));
    }

    // ---------------------------------------------------------------- elementwise passes over a channel

    /** {@code out = fma(x - mean, scale, shift)} over the channel's N runs (output runs at {@code to + i stride}). */
    private static void normalise(float[] src, int from, float[] out, int to, int batch, int stride, int l,
                                  float mean, float scale, float shift) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector s = FloatVector.broadcast(S, scale);
        FloatVector b = FloatVector.broadcast(S, shift);
        for (int run = 0; run < batch; run++) {
            int in = from + run * stride;
            int at = to + run * stride;
            int p = 0;
            for (; p <= l - LANES; p += LANES) {
                FloatVector.fromArray(S, src, in + p).sub(m).fma(s, b).intoArray(out, at + p);
            }
            if (p < l) {
                VectorMask<Float> inRange = S.indexInRange(p, l);
                FloatVector.fromArray(S, src, in + p, inRange).sub(m).fma(s, b).intoArray(out, at + p, inRange);
            }
        }
    }

    /** {@code max(0, fma(x - mean, scale, shift))} over the channel's N runs: {@link #normalise}, then a ReLU. */
    private static void normaliseRelu(float[] src, int from, float[] out, int to, int batch, int stride, int l,
                                      float mean, float scale, float shift) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector s = FloatVector.broadcast(S, scale);
        FloatVector b = FloatVector.broadcast(S, shift);
        FloatVector zero = FloatVector.zero(S);
        for (int run = 0; run < batch; run++) {
            int in = from + run * stride;
            int at = to + run * stride;
            int p = 0;
            for (; p <= l - LANES; p += LANES) {
                FloatVector y = FloatVector.fromArray(S, src, in + p).sub(m).fma(s, b);
                y.blend(zero, y.compare(VectorOperators.LE, 0f)).intoArray(out, at + p);
            }
            if (p < l) {
                VectorMask<Float> inRange = S.indexInRange(p, l);
                FloatVector y = FloatVector.fromArray(S, src, in + p, inRange).sub(m).fma(s, b);
                y.blend(zero, y.compare(VectorOperators.LE, 0f)).intoArray(out, at + p, inRange);
            }
        }
    }

    /** {@code dx = scale ((g - a) - (x - mean) b)} over the channel's N runs. */
    private static void inputGradient(float[] g, int gFrom, float[] x, int xFrom, float[] dx, int to, int batch,
                                      int stride, int l, float mean, float a, float b, float scale) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector av = FloatVector.broadcast(S, a);
        FloatVector bv = FloatVector.broadcast(S, b);
        FloatVector sv = FloatVector.broadcast(S, scale);
        for (int run = 0; run < batch; run++) {
            int gi = gFrom + run * stride;
            int xi = xFrom + run * stride;
            int at = to + run * stride;
            int p = 0;
            for (; p <= l - LANES; p += LANES) {
                FloatVector d = FloatVector.fromArray(S, x, xi + p).sub(m);
                FloatVector u = FloatVector.fromArray(S, g, gi + p).sub(av);
                d.neg().fma(bv, u).mul(sv).intoArray(dx, at + p);
            }
            if (p < l) {
                VectorMask<Float> inRange = S.indexInRange(p, l);
                FloatVector d = FloatVector.fromArray(S, x, xi + p, inRange).sub(m);
                FloatVector u = FloatVector.fromArray(S, g, gi + p, inRange).sub(av);
                d.neg().fma(bv, u).mul(sv).intoArray(dx, at + p, inRange);
            }
        }
    }

    /** {@link #inputGradient} of the masked gradient {@code g [z > 0]}, z the ReLU output from {@code zFrom}. */
    private static void maskedInputGradient(float[] g, int gFrom, float[] x, int xFrom, float[] z, int zFrom,
                                            float[] dx, int to, int batch, int stride, int l, float mean, float a,
                                            float b, float scale) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector av = FloatVector.broadcast(S, a);
        FloatVector bv = FloatVector.broadcast(S, b);
        FloatVector sv = FloatVector.broadcast(S, scale);
        for (int run = 0; run < batch; run++) {
            int gi = gFrom + run * stride;
            int xi = xFrom + run * stride;
            int zi = zFrom + run * stride;
            int at = to + run * stride;
            int p = 0;
            for (; p <= l - LANES; p += LANES) {
                FloatVector d = FloatVector.fromArray(S, x, xi + p).sub(m);
                FloatVector gv = FloatVector.fromArray(S, g, gi + p).mul(keep(FloatVector.fromArray(S, z, zi + p)));
                d.neg().fma(bv, gv.sub(av)).mul(sv).intoArray(dx, at + p);
            }
            if (p < l) {
                VectorMask<Float> inRange = S.indexInRange(p, l);
                FloatVector d = FloatVector.fromArray(S, x, xi + p, inRange).sub(m);
                FloatVector gv = FloatVector.fromArray(S, g, gi + p, inRange)
                        .mul(keep(FloatVector.fromArray(S, z, zi + p, inRange)));
                d.neg().fma(bv, gv.sub(av)).mul(sv).intoArray(dx, at + p, inRange);
            }
        }
    }
}
