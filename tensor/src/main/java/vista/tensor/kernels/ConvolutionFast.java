package vista.tensor.kernels;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.runtime.Parallel;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Workspaces;
import vista.tensor.runtime.Vectors;

/**
 * The fast float32 convolution: im2col of one block of output positions at a time, then {@link GemmKernels}.
 * Shapes are checked by {@link ConvolutionKernels}; the formulas are those of {@link ConvolutionReference}.
 *
 * <p>Per sample {@code n} and group, with {@code K = C_in/groups * kH * kW} and {@code P = H_out W_out},
 * a convolution is a matrix product. {@code cols} is the K x P matrix whose row {@code (c, u, v)} holds,
 * for every output position {@code (i, j)}, the input value that kernel tap {@code (u, v)} of channel
 * {@code c} multiplies ({@code x[c, i sH - pH + u dH, j sW - pW + v dW]}, 0 in the padding); {@code W}
 * is the weight seen as an {@code C_out/groups x K} matrix (its natural layout), {@code Y} and
 * {@code G = dL/dY} are {@code C_out/groups x P}. Then:
 * <ul>
 *   <li><b>forward</b> {@code Y = W cols} (+ bias): the output positions are cut into blocks of at most
 *       {@value #MAX_BLOCK} columns (fewer when K is large, so that a block of cols, {@code K x block}
 *       floats, stays within {@value #BLOCK_BUDGET} floats = 512 KiB of L2 while GEMM packs it). A tile
 *       is one (sample, group, block): it builds its block of cols and runs one GEMM into its own columns
 *       of Y. The bias is written into Y first and GEMM accumulates onto it. When there are fewer than
 *       {@value #FORWARD_TILES_PER_THREAD} such units per thread (a single image on a small map), a tile is
 *       also limited to a range of output channels, its rows of Y ({@link Plan#outputRowsPerTile}).</li>
 *   <li><b>backward, input</b> {@code dcols = W^T G}, then col2im: every element of dcols is added to
 *       the input position it was copied from. Different output positions add into the same input
 *       pixels, so a tile must own whole input channels: a tile is one (sample, group, block of input
 *       channels), its GEMM covers all P positions for {@code channels * kH * kW} rows (a buffer of at
 *       most about {@value #GRADIENT_COLUMNS_BUDGET} floats), and its col2im writes only its
 *       channels.</li>
 *   <li><b>backward, weight</b> {@code dW = sum over samples and blocks of G_block cols_block^T}. The
 *       (sample, block) units, in order, are cut into at most {@value #WEIGHT_TILES} runs (fewer when the
 *       weight is large, to bound the memory of the partials); a tile builds each cols block of its run
 *       and lets GEMM accumulate into its own partial dW. The partials are then added in tile order.
 *       GEMM packs the transposed operand {@code cols^T} one element at a time, so when each group has
 *       at least {@value #CHANNELS_LAST_MIN} input channels the input is first copied to channels-last
 *       order {@code (N, H, W, C)} and each block is built already transposed, with its columns in
 *       tap-major order {@code (u, v, c)}: a pixel's channels are then one contiguous run, and GEMM reads
 *       a plain row-major matrix, which it packs with vector copies (for 3x3 from 64 channels at 56 x 56
 *       this is about 15% faster). The result, {@code (o, u, v, c)}, is reordered to
 *       {@code (o, c, u, v)} at the end. Pointwise convolutions skip this: they need no im2col, and the
 *       copy would double their memory traffic; a run's consecutive blocks of one sample are then one GEMM
 *       call over all their positions (the same chain as block by block, in fewer and longer calls).</li>
 * </ul>
 * A 1x1 convolution with stride 1 and no padding needs no im2col (cols is the input itself) and no
 * col2im (dcols is the input gradient): GEMM reads and writes the tensors directly.
 *
 * <p><b>Determinism.</b> Tiles are chosen from the shapes only (except the forward's split of output
 * channels, which changes no bit whatever it is), and each one writes a disjoint part of the output or its
 * own partial. Every output element is one GEMM chain: the bias (or 0), then one
 * fused multiply-add per term in the order {@code (c, u, v)}. Every input-gradient element is
 * {@code sum over (u, v) in order of (sum over o in order)} (GEMM's chain, then col2im's additions in the
 * order of the taps). Every weight-gradient element is one GEMM chain over the output positions of each
 * run (samples in order, positions in order), whichever layout cols has, then the runs' partials added
 * in order. GEMM's chains do not depend on the vector width, and the additions here are element by
 * element, so the bits do not depend on the thread count or on the vector width.
 *
 * <p><b>Threads and memory.</b> The tiles run in parallel; inside a tile, GEMM is called on blocks that
 * it runs on the tile's own thread unless they are very large (see {@link #gemmInTile}). Buffers (cols,
 * dcols) come from a free list owned by one call: a tile takes one, returns it when done, and a later
 * tile reuses it; so a call needs about one buffer per thread, never one per tile. A buffer kept per
 * thread would not be safe, because a thread that waits inside GEMM for its sub-tasks may run another of
 * this call's tiles meanwhile. The call draws its buffers, the weight gradient's per-tile partial sums
 * and its channels-last copy of the input from {@link Workspaces} and returns them before it ends, so a
 * training step reuses the previous step's arrays.
 */
final class ConvolutionFast {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;

    /** Blocks of output positions are multiples of this (GEMM's column alignment) unless they cover all. */
    static final int BLOCK_ALIGNMENT = 32;
    /** Largest block of output positions. */
    static final int MAX_BLOCK = 512;
    /** Floats of one block of cols: 2^17 floats, 512 KiB, half of this machine's L2. */
    static final int BLOCK_BUDGET = 1 << 17;
    /** Floats of the dcols buffer of one input-gradient tile (exceeded when one channel needs more). */
    static final int GRADIENT_COLUMNS_BUDGET = 1 << 18;
    /** Most weight-gradient tiles (partial sums). */
    static final int WEIGHT_TILES = 16;
    /** Floats all weight-gradient partials may hold together (32 MiB); large weights get fewer tiles. */
    static final int PARTIALS_BUDGET = 1 << 23;
    /** Input channels per group from which the weight gradient reads a channels-last copy of the input. */
    static final int CHANNELS_LAST_MIN = 16;
    /** Rows of C per GEMM call inside a tile (GEMM's largest tile; see {@link #gemmInTile}). */
    static final int GEMM_BLOCK_ROWS = 256;
    /** Columns of C per GEMM call inside a tile. */
    static final int GEMM_BLOCK_COLUMNS = 512;
    /** Forward tiles per thread wanted before output channels are split among them ({@link Plan#outputRowsPerTile}). */
    static final int FORWARD_TILES_PER_THREAD = 2;
    /** Fewest multiply-adds of a forward tile made by splitting output channels (about 40 us on one core). */
    static final long FORWARD_MIN_WORK = 1 << 22;
    /** Elements per tile when the weight-gradient partials are added. */
    private static final int SUM_CHUNK = 1 << 16;

    private ConvolutionFast() {
    }

    /** {@code out = conv(x, w) + bias}, bias may be null. */
    static Tensor forward(Tensor input, Tensor weight, Tensor bias, ConvGeometry g) {
        return forward(input, weight, g, new ConvolutionEpilogue(bias, null, false));
    }

    /**
     * {@code out = relu(conv(x, w) + bias + residual)} ({@link ConvolutionEpilogue}): the bias starts each
     * GEMM chain as in the plain forward; once a tile's GEMM has written its rows, each of its elements
     * gets the residual added and the ReLU in one vector pass over the tile, while the tile is in cache.
     */
    static Tensor forward(Tensor input, Tensor weight, ConvGeometry g, ConvolutionEpilogue epilogue) {
        Plan p = new Plan(g, input.shape(), g.outputShape(input.shape()));
        return forward(input, weight, g, epilogue, p.outputRowsPerTile(Parallel.threads()));
    }

    /**
     * The forward with tiles of {@code rowsPerTile} output channels (of one group) each; any positive value
     * gives the same bits, the choice is package-private so that a test can check it.
     */
    static Tensor forward(Tensor input, Tensor weight, ConvGeometry g, ConvolutionEpilogue epilogue,
            int rowsPerTile) {
        Shape outShape = g.outputShape(input.shape());
        Plan p = new Plan(g, input.shape(), outShape);
        Tensor x = input.contiguous();
        Tensor w = weight.contiguous();
        Tensor b = epilogue.bias() == null ? null : epilogue.bias().contiguous();
        Tensor r = epilogue.residual() == null ? null : epilogue.residual().contiguous();
        boolean relu = epilogue.relu();
        Tensor out = Tensor.unfilled(DType.FLOAT32, outShape);
        float[] xa = x.floats();
        float[] wa = w.floats();
        float[] oa = out.floats();
        float[] ba = b == null ? null : b.floats();
        int bOffset = b == null ? 0 : b.offset();
        float[] ra = r == null ? null : r.floats();
        int rOffset = r == null ? 0 : r.offset();
        int blocks = p.blocks();
        int blockLength = p.blockLength();
        int rowTiles = Tiles.count(p.outPerGroup, rowsPerTile);
        Buffers columns = new Buffers(p.pointwise() ? 0 : p.depth() * blockLength);
        Tiles.forEach(p.batch * g.groups() * blocks * rowTiles, t -> {
            int o0 = t % rowTiles * rowsPerTile;
            int rows = Math.min(rowsPerTile, p.outPerGroup - o0);
            int unit = t / rowTiles;
            int block = unit % blocks;
            int group = unit / blocks % g.groups();
            int n = unit / blocks / g.groups();
            int p0 = block * blockLength;
            int count = Math.min(blockLength, p.positions() - p0);
            int outIndex = (n * p.outChannels + group * p.outPerGroup + o0) * p.positions() + p0;
            if (ba != null) {
                for (int o = 0; o < rows; o++) {
                    int row = outIndex + o * p.positions();
                    Arrays.fill(oa, row, row + count, ba[bOffset + group * p.outPerGroup + o0 + o]);
                }
            }
            int channels = x.offset() + (n * p.inChannels + group * p.inPerGroup) * p.inPlane();
            int wIndex = w.offset() + (group * p.outPerGroup + o0) * p.depth();
            if (p.pointwise()) {
                gemmInTile(false, false, rows, count, p.depth(), wa, wIndex, p.depth(),
                        xa, channels + p0, p.positions(), oa, outIndex, p.positions(), ba != null);
            } else {
                float[] cols = columns.take();
                im2col(xa, channels, p.inPerGroup, p, p0, count, cols);
                gemmInTile(false, false, rows, count, p.depth(), wa, wIndex, p.depth(),
                        cols, 0, count, oa, outIndex, p.positions(), ba != null);
                columns.give(cols);
            }
            if (ra != null || relu) {
                for (int o = 0; o < rows; o++) {
                    int row = outIndex + o * p.positions();
                    finish(oa, row, ra, ra == null ? 0 : rOffset + row, relu, count);
                }
            }
        });
        columns.release();
        return out;
    }

    /**
     * The epilogue on {@code count} output elements from {@code out[o]}: {@code v = out + residual} (when
     * {@code residual} is not null, read from {@code residual[r]}), then {@code v <= 0 ? 0 : v} when
     * {@code relu}, element by element.
     */
    private static void finish(float[] out, int o, float[] residual, int r, boolean relu, int count) {
        FloatVector zero = FloatVector.zero(FLOAT);
        int k = 0;
        for (; k <= count - LANES; k += LANES) {
            FloatVector v = FloatVector.fromArray(FLOAT, out, o + k);
            if (residual != null) {
                v = v.add(FloatVector.fromArray(FLOAT, residual, r + k));
            }
            if (relu) {
                v = v.blend(zero, v.compare(VectorOperators.LE, 0f));
            }
            v.intoArray(out, o + k);
        }
        for (; k < count; k++) {
            float v = residual == null ? out[o + k] : out[o + k] + residual[r + k];
            out[o + k] = relu && v <= 0 ? 0f : v;
        }
    }

    /** {@code dL/dx} of shape {@code inputShape} from {@code gradOutput} and the weight. */
    static Tensor backwardInput(Tensor gradOutput, Tensor weight, Shape inputShape, ConvGeometry g) {
        Plan p = new Plan(g, inputShape, gradOutput.shape());
        Tensor gy = gradOutput.contiguous();
        Tensor w = weight.contiguous();
        Tensor dx = p.pointwise() ? Tensor.unfilled(DType.FLOAT32, inputShape)   // every element is a GEMM's output
                : Tensor.zeros(DType.FLOAT32, inputShape);                       // col2im adds into it
        float[] ga = gy.floats();
        float[] wa = w.floats();
        float[] dxa = dx.floats();
        if (p.pointwise()) {
            int blocks = p.blocks();
            int blockLength = p.blockLength();
            Tiles.forEach(p.batch * g.groups() * blocks, t -> {
                int block = t % blocks;
                int group = t / blocks % g.groups();
                int n = t / blocks / g.groups();
                int p0 = block * blockLength;
                int count = Math.min(blockLength, p.positions() - p0);
                int gIndex = gy.offset() + (n * p.outChannels + group * p.outPerGroup) * p.positions() + p0;
                gemmInTile(true, false, p.inPerGroup, count, p.outPerGroup,
                        wa, w.offset() + group * p.outPerGroup * p.depth(), p.depth(), ga, gIndex, p.positions(),
                        dxa, (n * p.inChannels + group * p.inPerGroup) * p.inPlane() + p0, p.inPlane(), false);
            });
            return dx;
        }
        int perTile = p.channelsPerGradientTile();
        int chunks = Tiles.count(p.inPerGroup, perTile);
        Buffers gradColumns = new Buffers(perTile * p.kernelArea() * p.positions());
        Tiles.forEach(p.batch * g.groups() * chunks, t -> {
            int chunk = t % chunks;
            int group = t / chunks % g.groups();
            int n = t / chunks / g.groups();
            int c0 = chunk * perTile;
            int channels = Math.min(perTile, p.inPerGroup - c0);
            float[] dcols = gradColumns.take();
            gemmInTile(true, false, channels * p.kernelArea(), p.positions(), p.outPerGroup,
                    wa, w.offset() + group * p.outPerGroup * p.depth() + c0 * p.kernelArea(), p.depth(),
                    ga, gy.offset() + (n * p.outChannels + group * p.outPerGroup) * p.positions(), p.positions(),
                    dcols, 0, p.positions(), false);
            col2im(dcols, channels, p, dxa, (n * p.inChannels + group * p.inPerGroup + c0) * p.inPlane());
            gradColumns.give(dcols);
        });
        gradColumns.release();
        return dx;
    }

    /** {@code dL/dw} of the weight's shape from {@code gradOutput} and the input. */
    static Tensor backwardWeight(Tensor gradOutput, Tensor input, ConvGeometry g) {
        Plan p = new Plan(g, input.shape(), gradOutput.shape());
        return backwardWeight(gradOutput, input, g, !p.pointwise() && p.inPerGroup >= CHANNELS_LAST_MIN);
    }

    /**
     * {@code dL/dw}, with the cols blocks built from a channels-last copy of the input when
     * {@code channelsLast} (see the class comment), else from the input as it is. Both give the same
     * bits; the choice is package-private so that a test can check it.
     */
    static Tensor backwardWeight(Tensor gradOutput, Tensor input, ConvGeometry g, boolean channelsLast) {
        Plan p = new Plan(g, input.shape(), gradOutput.shape());
        Tensor gy = gradOutput.contiguous();
        Tensor x = input.contiguous();
        Tensor dw = Tensor.zeros(DType.FLOAT32, g.weightShape());
        float[] ga = gy.floats();
        float[] xa = channelsLast ? toChannelsLast(x, p) : x.floats();
        int xOffset = channelsLast ? 0 : x.offset();
        int weightSize = dw.numel();
        int blocks = p.blocks();
        int blockLength = p.blockLength();
        int units = p.batch * blocks;
        if (units == 0) {
            return dw;
        }
        int tiles = weightTiles(units, weightSize);
        float[][] partials = new float[tiles][];
        boolean direct = p.pointwise();
        Buffers columns = new Buffers(direct ? 0 : p.depth() * blockLength);
        Tiles.forEach(tiles, t -> {
            int from = (int) ((long) units * t / tiles);
            int to = (int) ((long) units * (t + 1) / tiles);
            float[] partial = t == 0 && !channelsLast ? dw.floats() : Workspaces.take(weightSize);
            partials[t] = partial;
            float[] cols = direct ? null : columns.take();
            for (int unit = from, next; unit < to; unit = next) {
                int n = unit / blocks;
                int p0 = unit % blocks * blockLength;
                next = direct ? Math.min(to, (n + 1) * blocks) : unit + 1;
                int count = Math.min((next - n * blocks) * blockLength, p.positions()) - p0;
                for (int group = 0; group < g.groups(); group++) {
                    int gIndex = gy.offset() + (n * p.outChannels + group * p.outPerGroup) * p.positions() + p0;
                    int wIndex = group * p.outPerGroup * p.depth();
                    if (channelsLast) {
                        float[] b = xa;
                        int bIndex = (n * p.inPlane() + p0) * p.inChannels + group * p.inPerGroup;
                        int ldb = p.inChannels;
                        if (!direct) {
                            im2colChannelsLast(xa, n, group, p, p0, count, cols);
                            b = cols;
                            bIndex = 0;
                            ldb = p.depth();
                        }
                        gemmInTile(false, false, p.outPerGroup, p.depth(), count, ga, gIndex, p.positions(),
                                b, bIndex, ldb, partial, wIndex, p.depth(), unit > from);
                    } else {
                        int channels = xOffset + (n * p.inChannels + group * p.inPerGroup) * p.inPlane();
                        float[] b = xa;
                        int bIndex = channels + p0;
                        int ldb = p.positions();
                        if (!direct) {
                            im2col(xa, channels, p.inPerGroup, p, p0, count, cols);
                            b = cols;
                            bIndex = 0;
                            ldb = count;
                        }
                        gemmInTile(false, true, p.outPerGroup, p.depth(), count, ga, gIndex, p.positions(),
                                b, bIndex, ldb, partial, wIndex, p.depth(), unit > from);
                    }
                }
            }
            if (cols != null) {
                columns.give(cols);
            }
        });
        columns.release();
        addPartials(partials, weightSize);
        if (channelsLast) {
            fromTapMajor(partials[0], p, dw.floats());
            Workspaces.giveBack(xa);
        }
        for (int t = channelsLast ? 0 : 1; t < tiles; t++) {
            Workspaces.giveBack(partials[t]);
        }
        return dw;
    }

    /**
     * The input {@code (N, C, H, W)} copied to channels-last order {@code (N, H, W, C)}, in tiles of
     * one sample, each transposed in strips of 16 pixels so that reads and writes stay in cache.
     */
    private static float[] toChannelsLast(Tensor x, Plan p) {
        float[] source = x.floats();
        int channels = p.inChannels;
        int plane = p.inPlane();
        float[] out = Workspaces.take(p.batch * plane * channels);
        Tiles.forEach(p.batch, n -> {
            for (int s0 = 0; s0 < plane; s0 += 16) {
                int s1 = Math.min(plane, s0 + 16);
                for (int c = 0; c < channels; c++) {
                    int from = x.offset() + (n * channels + c) * plane;
                    for (int s = s0; s < s1; s++) {
                        out[(n * plane + s) * channels + c] = source[from + s];
                    }
                }
            }
        });
        return out;
    }

    /**
     * The block of cols for output positions {@code p0 .. p0+count-1}, transposed and with its rows in
     * tap-major order, from the channels-last input {@code xt}: {@code cols[q K + (u kW + v) Cg + c]} holds
     * {@code x[n, group Cg + c, i sH - pH + u dH, j sW - pW + v dW]} (0 in the padding), for position
     * {@code p0 + q = i W_out + j}. Each pixel's channels are one contiguous run; at dilation 1 with one
     * group the runs of a kernel row are contiguous too and are copied at once.
     */
    static void im2colChannelsLast(float[] xt, int n, int group, Plan p, int p0, int count, float[] cols) {
        ConvGeometry g = p.g;
        int channels = p.inPerGroup;
        int depth = p.depth();
        int kernelWidth = g.kernelWidth();
        boolean wholeRows = g.groups() == 1 && g.dilationWidth() == 1;
        int i = p0 / p.outWidth;
        int j = p0 % p.outWidth;
        for (int q = 0; q < count; q++) {
            int firstColumn = j * g.strideWidth() - g.paddingWidth();
            int lead = leadingOutside(firstColumn, g.dilationWidth(), kernelWidth);
            int end = insideEnd(firstColumn, g.dilationWidth(), kernelWidth, p.width, lead);
            for (int u = 0; u < g.kernelHeight(); u++) {
                int row = i * g.strideHeight() - g.paddingHeight() + u * g.dilationHeight();
                int to = q * depth + u * kernelWidth * channels;
                if (row < 0 || row >= p.height) {
                    Arrays.fill(cols, to, to + kernelWidth * channels, 0f);
                    continue;
                }
                int pixel = (n * p.height + row) * p.width;
                Arrays.fill(cols, to, to + lead * channels, 0f);
                if (wholeRows) {
                    System.arraycopy(xt, (pixel + firstColumn + lead) * p.inChannels, cols, to + lead * channels,
                            (end - lead) * channels);
                } else {
                    for (int v = lead; v < end; v++) {
                        int column = firstColumn + v * g.dilationWidth();
                        System.arraycopy(xt, (pixel + column) * p.inChannels + group * channels, cols,
                                to + v * channels, channels);
                    }
                }
                Arrays.fill(cols, to + end * channels, to + kernelWidth * channels, 0f);
            }
            if (++j == p.outWidth) {
                j = 0;
                i++;
            }
        }
    }

    /** Reorders a weight gradient from tap-major {@code (o, u, v, c)} to PyTorch's {@code (o, c, u, v)}. */
    private static void fromTapMajor(float[] tapMajor, Plan p, float[] dw) {
        int taps = p.kernelArea();
        int channels = p.inPerGroup;
        for (int o = 0; o < p.outChannels; o++) {
            for (int c = 0; c < channels; c++) {
                for (int tap = 0; tap < taps; tap++) {
                    dw[(o * channels + c) * taps + tap] = tapMajor[(o * taps + tap) * channels + c];
                }
            }
        }
    }

    /**
     * {@code C (+)= op(A) op(B)} as in {@link GemmKernels#multiply}, called from inside one of this class's tiles:
     * C is cut into blocks of at most {@value #GEMM_BLOCK_ROWS} x {@value #GEMM_BLOCK_COLUMNS}, GEMM's
     * largest tile, so that GEMM runs a block as a single tile on the calling thread instead of forking
     * sub-tasks that the tile would then wait for (it still splits a block of more than about 2^24
     * multiply-adds, where that pays). Nested forks cost little on an idle machine but stall whenever a
     * thread is descheduled: with another process on one of two cores, the backward passes gained nothing
     * from a second thread until their GEMMs were cut like this. Every element of C is still one GEMM
     * chain, so the blocks change no bits.
     */
    private static void gemmInTile(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        for (int row = 0; row < m; row += GEMM_BLOCK_ROWS) {
            for (int column = 0; column < n; column += GEMM_BLOCK_COLUMNS) {
                int rows = Math.min(GEMM_BLOCK_ROWS, m - row);
                int columns = Math.min(GEMM_BLOCK_COLUMNS, n - column);
                GemmKernels.multiply(transA, transB, rows, columns, k, a, aOffset + (transA ? row : row * lda), lda,
                        b, bOffset + (transB ? column * ldb : column), ldb, c, cOffset + row * ldc + column, ldc,
                        accumulate);
            }
        }
    }

    /**
     * The number of weight-gradient tiles: at most {@value #WEIGHT_TILES}, one per unit at most, and
     * few enough that their partials fit in {@value #PARTIALS_BUDGET} floats (at least one).
     */
    static int weightTiles(int units, int weightSize) {
        return Math.max(1, Math.min(Math.min(units, WEIGHT_TILES), PARTIALS_BUDGET / Math.max(1, weightSize)));
    }

    /** {@code partials[0] += partials[1] + ...}, element by element, adding the partials in order. */
    private static void addPartials(float[][] partials, int size) {
        if (partials.length == 1) {
            return;
        }
        float[] total = partials[0];
        Tiles.forEach(Tiles.count(size, SUM_CHUNK), t -> {
            int from = t * SUM_CHUNK;
            int count = Math.min(SUM_CHUNK, size - from);
            for (int k = 1; k < partials.length; k++) {
                addInto(total, from, partials[k], from, count);
            }
        });
    }

    /**
     * Copies the block of cols for output positions {@code p0 .. p0+count-1} of {@code channels} input
     * channels starting at {@code x[channelBase]}: {@code cols[r * count + q]} with row
     * {@code r = (c kH + u) kW + v} and position {@code p0 + q = i W_out + j} holds
     * {@code x[c, i sH - pH + u dH, j sW - pW + v dW]}, or 0 in the padding. Each output row's stretch
     * of the block is one run: zeros before the image, a copy (an {@code arraycopy} at stride 1), zeros
     * after it. When the output is as wide as the input ({@link Plan#keepsWidth()}), a whole row of cols
     * is one copy instead ({@link #im2colKeepingWidth}).
     */
    static void im2col(float[] x, int channelBase, int channels, Plan p, int p0, int count, float[] cols) {
        if (p.keepsWidth()) {
            im2colKeepingWidth(x, channelBase, channels, p, p0, count, cols);
            return;
        }
        ConvGeometry g = p.g;
        int height = p.height;
        int width = p.width;
        int outWidth = p.outWidth;
        int strideW = g.strideWidth();
        int r = 0;
        for (int c = 0; c < channels; c++) {
            int plane = channelBase + c * p.inPlane();
            for (int u = 0; u < g.kernelHeight(); u++) {
                for (int v = 0; v < g.kernelWidth(); v++, r++) {
                    int q = 0;
                    int i = p0 / outWidth;
                    int j = p0 % outWidth;
                    while (q < count) {
                        int run = Math.min(outWidth - j, count - q);
                        int to = r * count + q;
                        int row = i * g.strideHeight() - g.paddingHeight() + u * g.dilationHeight();
                        if (row < 0 || row >= height) {
                            Arrays.fill(cols, to, to + run, 0f);
                        } else {
                            int first = j * strideW - g.paddingWidth() + v * g.dilationWidth();
                            int lead = leadingOutside(first, strideW, run);
                            int end = insideEnd(first, strideW, run, width, lead);
                            int from = plane + row * width + first;
                            Arrays.fill(cols, to, to + lead, 0f);
                            if (strideW == 1) {
                                System.arraycopy(x, from + lead, cols, to + lead, end - lead);
                            } else {
                                for (int k = lead; k < end; k++) {
                                    cols[to + k] = x[from + k * strideW];
                                }
                            }
                            Arrays.fill(cols, to + end, to + run, 0f);
                        }
                        q += run;
                        i++;
                        j = 0;
                    }
                }
            }
        }
    }

    /**
     * The inverse scatter of {@link #im2col} for all P output positions: adds {@code dcols[r * P + q]}
     * into the input element that position q of row r was copied from, for {@code channels} channels
     * starting at {@code dx[channelBase]}. Taps are visited in the order {@code (u, v)}, rows in order,
     * so every input element receives its terms in a fixed order; at stride 1 a row's terms are added
     * with vectors, element by element.
     */
    static void col2im(float[] dcols, int channels, Plan p, float[] dx, int channelBase) {
        if (p.keepsWidth()) {
            col2imKeepingWidth(dcols, channels, p, dx, channelBase);
            return;
        }
        ConvGeometry g = p.g;
        int positions = p.positions();
        int strideW = g.strideWidth();
        int r = 0;
        for (int c = 0; c < channels; c++) {
            int plane = channelBase + c * p.inPlane();
            for (int u = 0; u < g.kernelHeight(); u++) {
                for (int v = 0; v < g.kernelWidth(); v++, r++) {
                    int first = v * g.dilationWidth() - g.paddingWidth();
                    int lead = leadingOutside(first, strideW, p.outWidth);
                    int end = insideEnd(first, strideW, p.outWidth, p.width, lead);
                    for (int i = 0; i < p.outHeight; i++) {
                        int row = i * g.strideHeight() - g.paddingHeight() + u * g.dilationHeight();
                        if (row < 0 || row >= p.height) {
                            continue;
                        }
                        int from = r * positions + i * p.outWidth;
                        int to = plane + row * p.width + first;
                        if (strideW == 1) {
                            addInto(dx, to + lead, dcols, from + lead, end - lead);
                        } else {
                            for (int k = lead; k < end; k++) {
                                dx[to + k * strideW] += dcols[from + k];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #im2col} when {@link Plan#keepsWidth()}: then output position {@code p = i W + j} of tap
     * {@code (u, v)} reads input element {@code p + (u dH - pH) W + (v dW - pW)} of its channel, so a row of
     * cols is one contiguous copy of the input, between zeros for the output rows whose input row is
     * padding; only the few columns that wrapped around to the neighbouring row are then set to zero.
     */
    private static void im2colKeepingWidth(float[] x, int channelBase, int channels, Plan p, int p0, int count,
            float[] cols) {
        ConvGeometry g = p.g;
        int r = 0;
        for (int c = 0; c < channels; c++) {
            int plane = channelBase + c * p.inPlane();
            for (int u = 0; u < g.kernelHeight(); u++) {
                for (int v = 0; v < g.kernelWidth(); v++, r++) {
                    Shift s = Shift.of(p, u, v, p0, count);
                    int to = r * count - p0;
                    if (s.start >= s.end) {
                        Arrays.fill(cols, r * count, (r + 1) * count, 0f);
                        continue;
                    }
                    Arrays.fill(cols, r * count, to + s.start, 0f);
                    System.arraycopy(x, plane + s.shift + s.start, cols, to + s.start, s.end - s.start);
                    Arrays.fill(cols, to + s.end, (r + 1) * count, 0f);
                    s.zeroWrappedColumns(cols, to, p.width);
                }
            }
        }
    }

    /**
     * {@link #col2im} when {@link Plan#keepsWidth()}: each row of dcols, its wrapped columns set to zero
     * first (dcols is scratch), is added to the input gradient in one contiguous run.
     */
    private static void col2imKeepingWidth(float[] dcols, int channels, Plan p, float[] dx, int channelBase) {
        ConvGeometry g = p.g;
        int positions = p.positions();
        int r = 0;
        for (int c = 0; c < channels; c++) {
            int plane = channelBase + c * p.inPlane();
            for (int u = 0; u < g.kernelHeight(); u++) {
                for (int v = 0; v < g.kernelWidth(); v++, r++) {
                    Shift s = Shift.of(p, u, v, 0, positions);
                    if (s.start < s.end) {
                        s.zeroWrappedColumns(dcols, r * positions, p.width);
                        addInto(dx, plane + s.shift + s.start, dcols, r * positions + s.start, s.end - s.start);
                    }
                }
            }
        }
    }

    /**
     * Where tap {@code (u, v)} reads when {@link Plan#keepsWidth()}: input element {@code p + shift} for
     * output position p; {@code start .. end-1}, the positions of the block {@code p0 .. p0+count-1} from
     * the first to the last whose input row and column are inside the image; {@code firstColumn ..
     * endColumn-1}, the output columns whose input column is inside the image.
     */
    private record Shift(int shift, int start, int end, int firstColumn, int endColumn) {
        static Shift of(Plan p, int u, int v, int p0, int count) {
            int rowShift = u * p.g.dilationHeight() - p.g.paddingHeight();
            int columnShift = v * p.g.dilationWidth() - p.g.paddingWidth();
            int firstColumn = Math.max(0, -columnShift);
            int endColumn = Math.min(p.width, p.width - columnShift);
            int firstRow = Math.max(0, -rowShift);
            int endRow = Math.min(p.outHeight, p.height - rowShift);
            return new Shift(rowShift * p.width + columnShift,
                    Math.max(p0, firstRow * p.width + firstColumn),
                    Math.min(p0 + count, (endRow - 1) * p.width + endColumn), firstColumn, endColumn);
        }

        /** Sets {@code a[offset + q] = 0} for the positions q in {@code start .. end-1} whose column is outside. */
        void zeroWrappedColumns(float[] a, int offset, int width) {
            if (firstColumn == 0 && endColumn == width) {
                return;
            }
            for (int row = start / width * width; row < end; row += width) {
                for (int q = Math.max(start, row); q < Math.min(end, row + firstColumn); q++) {
                    a[offset + q] = 0f;
                }
                for (int q = Math.max(start, row + endColumn); q < Math.min(end, row + width); q++) {
                    a[offset + q] = 0f;
                }
            }
        }
    }

    /** How many of the positions {@code first + k stride}, {@code k = 0 .. run-1}, lie before column 0. */
    private static int leadingOutside(int first, int stride, int run) {
        return first >= 0 ? 0 : Math.min(run, (-first + stride - 1) / stride);
    }

    /** One past the last {@code k < run} with {@code first + k stride < width}, and at least {@code lead}. */
    private static int insideEnd(int first, int stride, int run, int width, int lead) {
        return Math.max(lead, Math.min(run, Math.floorDiv(width - 1 - first, stride) + 1));
    }

    /** {@code dst[d + k] += src[s + k]} for {@code k < count}, element by element. */
    private static void addInto(float[] dst, int d, float[] src, int s, int count) {
        int k = 0;
        for (; k <= count - LANES; k += LANES) {
            FloatVector.fromArray(FLOAT, dst, d + k).add(FloatVector.fromArray(FLOAT, src, s + k))
                    .intoArray(dst, d + k);
        }
        for (; k < count; k++) {
            dst[d + k] += src[s + k];
        }
    }

    /** The sizes of one convolution call and the blocking derived from them (shapes only). */
    static final class Plan {
        final ConvGeometry g;
        final int batch;
        final int inChannels;
        final int height;
        final int width;
        final int outChannels;
        final int outHeight;
        final int outWidth;
        final int inPerGroup;
        final int outPerGroup;

        Plan(ConvGeometry g, Shape input, Shape output) {
            this.g = g;
            batch = input.dim(0);
            inChannels = input.dim(1);
            height = input.dim(2);
            width = input.dim(3);
            outChannels = output.dim(1);
            outHeight = output.dim(2);
            outWidth = output.dim(3);
            inPerGroup = g.inChannelsPerGroup();
            outPerGroup = g.outChannelsPerGroup();
        }

        int positions() {
            return outHeight * outWidth;
        }

        int inPlane() {
            return height * width;
        }

        int kernelArea() {
            return g.kernelHeight() * g.kernelWidth();
        }

        /** K: the length of one output element's sum, {@code C_in/groups * kH * kW}. */
        int depth() {
            return inPerGroup * kernelArea();
        }

        /** A 1x1 kernel with stride 1 and no padding: cols is the input itself. */
        boolean pointwise() {
            return g.kernelHeight() == 1 && g.kernelWidth() == 1 && g.strideHeight() == 1 && g.strideWidth() == 1
                    && g.paddingHeight() == 0 && g.paddingWidth() == 0;
        }

        /**
         * Stride 1 and an output as wide as the input (kW - 1 = 2 pW, "same" padding along the width, as in
         * every 3x3 convolution with padding 1 and stride 1): then output position {@code p = i W + j} of
         * every tap reads at a fixed distance from input element p, so im2col and col2im work on
         * contiguous runs of whole rows.
         */
        boolean keepsWidth() {
            return g.strideHeight() == 1 && g.strideWidth() == 1 && outWidth == width;
        }

        /**
         * Output positions per block: as many multiples of {@value #BLOCK_ALIGNMENT} as keep a block of
         * cols within {@value #BLOCK_BUDGET} floats, between {@value #BLOCK_ALIGNMENT} and
         * {@value #MAX_BLOCK}, or all positions if they are fewer.
         */
        int blockLength() {
            int fit = BLOCK_BUDGET / depth() / BLOCK_ALIGNMENT * BLOCK_ALIGNMENT;
            int length = Math.min(MAX_BLOCK, Math.max(BLOCK_ALIGNMENT, fit));
            return Math.max(1, Math.min(length, positions()));
        }

        int blocks() {
            return Tiles.count(positions(), blockLength());
        }

        /**
         * Output channels (of one group) per forward tile, for {@code threads} threads. All of them on one
         * thread, or when the (sample, group, block) units already number {@value #FORWARD_TILES_PER_THREAD}
         * per thread or more, as in training batches; with fewer (one image at inference, small maps) the
         * channels are split too, into multiples of GEMM's 8-row panel, until there are that many tiles per
         * thread or a tile would fall below {@value #FORWARD_MIN_WORK} multiply-adds. Without this a batch of
         * one at 14 x 14 or 7 x 7 is a single tile and runs on one thread; with it, each tile packs its own
         * copy of the block of cols and of GEMM's B panels, which is why one thread does not split.
         *
         * <p>Unlike other tile counts this one may follow the thread count: a tile's rows are computed the
         * same way whichever tile holds them (each element is one GEMM chain), so the split changes no bit
         * ({@code ConvolutionTest}).
         */
        int outputRowsPerTile(int threads) {
            long units = (long) batch * g.groups() * blocks();
            long tiles = (long) FORWARD_TILES_PER_THREAD * threads;
            if (threads == 1 || units >= tiles) {
                return Math.max(1, outPerGroup);
            }
            long workPerRow = (long) blockLength() * depth();
            int wanted = (int) Math.min((tiles + units - 1) / units,
                    Math.max(1, (long) outPerGroup * workPerRow / FORWARD_MIN_WORK));
            int rows = (outPerGroup + wanted - 1) / wanted;
            return Math.max(1, Math.min(outPerGroup, (rows + GemmFast.ROWS - 1) / GemmFast.ROWS * GemmFast.ROWS));
        }

        /**
         * Input channels per input-gradient tile: as many as keep its dcols, {@code channels * kH * kW * P}
         * floats, within {@value #GRADIENT_COLUMNS_BUDGET} (at least one), rounded down to a multiple of 8
         * when at least 8, so that GEMM's 8-row panels are full.
         */
        int channelsPerGradientTile() {
            int fit = GRADIENT_COLUMNS_BUDGET / Math.max(1, kernelArea() * positions());
            int channels = Math.max(1, Math.min(inPerGroup, fit));
            return channels >= 8 ? channels / 8 * 8 : channels;
        }
    }

    /**
     * The free list of one call's equally sized work buffers (see the class comment), drawn from
     * {@link Workspaces}; {@link #release} hands them all back there when the call is done with them.
     */
    private static final class Buffers {
        private final int size;
        private final ConcurrentLinkedDeque<float[]> free = new ConcurrentLinkedDeque<>();

        Buffers(int size) {
            this.size = size;
        }

        float[] take() {
            float[] buffer = free.poll();
            return buffer != null ? buffer : Workspaces.take(size);
        }

        void give(float[] buffer) {
            free.push(buffer);
        }

        /** Returns every buffer to {@link Workspaces}; call once no tile uses one any more. */
        void release() {
            for (float[] buffer = free.poll(); buffer != null; buffer = free.poll()) {
                Workspaces.giveBack(buffer);
            }
        }
    }
}
