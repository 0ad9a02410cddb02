package vista.tensor.kernels;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fused float32 kernel of SASA's local self-attention: the formulas of {@link LocalSelfAttentionKernels}
 * on the raw float arrays of contiguous tensors, {@link Vectors#LANES} output columns at a time, without
 * ever building the {@code N x C x k^2 x H x W} unfold. Shapes are checked by {@link LocalSelfAttentionKernels};
 * {@link LocalSelfAttentionReference} is the oracle.
 *
 * <p>What differs from the reference, and why:
 * <ul>
 *   <li><b>Lanes run along the output columns j</b>, which are contiguous in NCHW: for one (sample,
 *       head, row i, neighbour (a, e)), the keys of {@code LANES} consecutive pixels are one contiguous
 *       run, {@code k[d, i + a - r, j + e - r ..]}. One pass over a block of columns computes the k^2
 *       logits, the softmax, the weights and the output of those pixels.</li>
 *   <li><b>Padded rows.</b> A tile first copies the rows of its head's channels that it reads into rows
 *       of {@code r + W' + r} floats (W' = W rounded up to LANES) with zeros around the W values. Every
 *       neighbour read is then a full vector load, with no test per lane: the zeros are exactly the ZERO
 *       border's keys and values, and the columns computed past W are never stored. Neighbour rows
 *       outside the image are skipped as a whole (they add nothing to any sum). Under MASK, the logits
 *       of neighbours outside the image are set to minus infinity, which {@link FastExp} turns into a
 *       weight of exactly 0.</li>
 *   <li><b>Register blocking.</b> Logits (and dL/dp) are computed eight neighbours at a time (then four,
 *       then one), so that one load of {@code q[d]} feeds eight fused multiply-adds; weighted sums over
 *       the neighbours (output, dL/dq, dL/dk, dL/dv) eight channels at a time (then four, then two), so
 *       that one load of a weight feeds eight. Every step of a block is a method over arrays: the JIT
 *       does not inline everything into a tile's loop, and a vector passed to a method it did not
 *       inline is boxed (that cost the forward pass a factor of two).</li>
 *   <li><b>The positional term splits</b>: per pixel, {@code q[:h] . relRow[a]} for the k rows a and
 *       {@code q[h:] . relCol[e]} for the k columns e, added to the k^2 content terms: {@code 2 k h}
 *       multiply-adds per pixel instead of {@code k^2 dh}. Likewise in backward, dL/dq's positional part
 *       and the embeddings' gradients use the row sums {@code sum over e of t[a, e]} and the column sums
 *       {@code sum over a of t[a, e]} of {@code t = s dL/dlogit}.</li>
 *   <li><b>Saved for backward: the weights p</b> {@code (N, heads, k^2, H, W)}, which the API returns
 *       anyway. Backward never recomputes logits.</li>
 *   <li><b>Backward in gather form, fused.</b> Per output pixel it computes dL/dp ({@code G . v} of each
 *       neighbour), t, dL/dq and the embeddings' gradients. dL/dk and dL/dv are gathered per key pixel
 *       (y, z): {@code dL/dk[d, y, z] = sum over (a, e) of t[a, e, i, j] q[d, i, j]} and
 *       {@code dL/dv[d, y, z] = sum of p[a, e, i, j] G[d, i, j]} over the output pixels
 *       {@code (i, j) = (y - a + r, z - e + r)} whose window holds (y, z); for a fixed (a, e) those are
 *       again contiguous along z. So no two tiles write the same cell. The t and p of output row i are
 *       kept in a ring of the last {@code 2r + 1} rows, each neighbour's row shifted by its column
 *       offset e (so that every neighbour of a block of keys is read at the same column), and key row
 *       {@code i - r} is gathered as soon as row i is done: t never goes to memory and p is read once.
 *       A tile of rows {@code [y0, y1)} therefore also computes the t of the r output rows on each side
 *       (not their dL/dq).</li>
 *   <li><b>Tiles</b> are images (sample, head). When there are fewer than {@value #PARALLEL_IMAGES}
 *       images, or an image has more than {@value #MAX_TILE_ROWS} rows, images are cut into blocks of
 *       rows (of at least 4r rows when cut for parallelism, so that the recomputed t costs at most about
 *       a quarter more); see {@link #rowBlocks}. For 8 x 64 x 56 x 56 with 8 heads: 64 tiles.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Every result element is computed by one lane of one vector, and a lane's
 * operations do not depend on which lane it is, on the vector width or on the tile: a logit is
 * {@code s ((chain over d of q k) + row term + column term)}, each term a chain of fused multiply-adds
 * from 0 in channel order; the softmax takes the running maximum in neighbour order, {@link FastExp}
 * (whose vector lanes have the bits of its scalar version), the sum of the exponentials in neighbour
 * order and one division; every weighted sum is one chain of fused multiply-adds from 0 in neighbour
 * order. The columns computed past W only reach lanes that are never stored. The embeddings' gradients
 * are the only sums across pixels: a tile adds pixel (i, j)'s contribution to logical accumulator
 * {@code j mod 16} of {@link LogicalLanes}, pixels in row-major order (columns past W are blended out,
 * not added), sums the 16 by the fixed tree, and the tiles' partials are added in tile order after the
 * parallel loop. So the bits depend neither on the thread count nor on the vector width.
 *
 * <p><b>Memory.</b> Nothing of the problem's size besides the results, and the tiles' partial
 * embedding gradients ({@code 2 k dh/2} floats per tile). Each running tile uses one scratch set: four
 * padded channel maps of {@code dh x (rows + 4r) x (W' + 2r)} floats, the two rings of
 * {@code (2r + 1) k^2 (W' + 2r)} floats, and a few blocks of k^2 vectors; about 0.8 MB at the benchmark
 * shape (k = 7, whole 56 x 56 images). Scratch sets come from a free list owned by the call, so a call
 * allocates about one per thread.
 */
final class LocalSelfAttentionFast {
    /** With fewer images (sample x head) than this, images are cut into blocks of rows. */
    static final int PARALLEL_IMAGES = 16;
    /** Images with more rows than this are cut into blocks of rows, to bound the scratch. */
    static final int MAX_TILE_ROWS = 64;
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    private static final int ACCUMULATORS = LogicalLanes.COUNT;

    private LocalSelfAttentionFast() {
    }

    static LocalSelfAttentionKernels.Forward forward(Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn,
            LocalAttentionWindow window) {
        Plan plan = new Plan(q.shape(), window);
        Tensor output = Tensor.zeros(DType.FLOAT32, q.shape());
        Tensor weights = Tensor.zeros(DType.FLOAT32, window.weightsShape(q.shape()));
        Operands o = new Operands(plan, q, k, v, relRow, relColumn);
        o.weights = weights.floats();
        o.output = output.floats();
        Tiles.forEach(plan.tiles, t -> o.withScratch(t, o::forwardTile));
        return new LocalSelfAttentionKernels.Forward(output, weights);
    }

    static LocalSelfAttentionKernels.Gradients backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor relRow,
            Tensor relColumn, Tensor weights, LocalAttentionWindow window) {
        Plan plan = new Plan(q.shape(), window);
        Operands o = new Operands(plan, q, k, v, relRow, relColumn);
        Tensor g = gradOutput.contiguous();
        o.grad = g.floats();
        o.gradAt = g.offset();
        Tensor p = weights.contiguous();
        o.weights = p.floats();
        o.weightsAt = p.offset();
        Tensor dq = Tensor.zeros(DType.FLOAT32, q.shape());
        Tensor dk = Tensor.zeros(DType.FLOAT32, q.shape());
        Tensor dv = Tensor.zeros(DType.FLOAT32, q.shape());
        o.queryGrad = dq.floats();
        o.keyGrad = dk.floats();
        o.valueGrad = dv.floats();
        int entries = plan.k * plan.half;
        o.embeddingPartials = new float[plan.tiles * 2 * entries];
        Tiles.forEach(plan.tiles, t -> o.withScratch(t, o::backwardTile));
        Tensor dRow = Tensor.zeros(DType.FLOAT32, relRow.shape());
        Tensor dColumn = Tensor.zeros(DType.FLOAT32, relColumn.shape());
        float[] rows = dRow.floats();
        float[] columns = dColumn.floats();
        for (int t = 0; t < plan.tiles; t++) {
            int at = t * 2 * entries;
            for (int x = 0; x < entries; x++) {
                rows[x] += o.embeddingPartials[at + x];
                columns[x] += o.embeddingPartials[at + entries + x];
            }
        }
        return new LocalSelfAttentionKernels.Gradients(dq, dk, dv, dRow, dColumn);
    }

    /**
     * Into how many blocks of rows each image (sample, head) is cut: enough for {@value #PARALLEL_IMAGES}
     * tiles when there are fewer images, but blocks of at least {@code 4r} rows; and blocks of at most
     * {@value #MAX_TILE_ROWS} rows. From the shape only, never from the thread count.
     */
    static int rowBlocks(int images, int height, int radius) {
        if (height == 0) {
            return 0;
        }
        int forParallelism = Math.min(Tiles.count(PARALLEL_IMAGES, Math.max(1, images)),
                Math.max(1, height / Math.max(1, 4 * radius)));
        int blocks = Math.max(forParallelism, Tiles.count(height, MAX_TILE_ROWS));
        return Tiles.count(height, Tiles.count(height, blocks)); // equal blocks of rows, the last one shorter
    }

    /**
     * {@code dst[m LANES ..] = sum over d of own[d] map[d, neighbour m]} for the neighbours
     * {@code m in [from, to)}, 0 for the others: one chain of fused multiply-adds from 0 in channel
     * order per neighbour, eight neighbours at a time, then four, then one. Channel d of {@code own} is at
     * {@code ownAt + d * channelStride}, of neighbour m at {@code at + offsets[m] + d * channelStride}.
     */
    private static void dots(float[] own, int ownAt, float[] map, int at, int[] offsets, int from, int to,
            int channels, int channelStride, float[] dst, int neighbours) {
        Arrays.fill(dst, 0, from * LANES, 0f);
        Arrays.fill(dst, to * LANES, neighbours * LANES, 0f);
        int m = from;
        for (; m + 8 <= to; m += 8) {
            int o0 = at + offsets[m];
            int o1 = at + offsets[m + 1];
            int o2 = at + offsets[m + 2];
            int o3 = at + offsets[m + 3];
            int o4 = at + offsets[m + 4];
            int o5 = at + offsets[m + 5];
            int o6 = at + offsets[m + 6];
            int o7 = at + offsets[m + 7];
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            for (int d = 0, c = 0; d < channels; d++, c += channelStride) {
                FloatVector x = FloatVector.fromArray(FLOAT, own, ownAt + c);
                s0 = x.fma(FloatVector.fromArray(FLOAT, map, o0 + c), s0);
                s1 = x.fma(FloatVector.fromArray(FLOAT, map, o1 + c), s1);
                s2 = x.fma(FloatVector.fromArray(FLOAT, map, o2 + c), s2);
                s3 = x.fma(FloatVector.fromArray(FLOAT, map, o3 + c), s3);
                s4 = x.fma(FloatVector.fromArray(FLOAT, map, o4 + c), s4);
                s5 = x.fma(FloatVector.fromArray(FLOAT, map, o5 + c), s5);
                s6 = x.fma(FloatVector.fromArray(FLOAT, map, o6 + c), s6);
                s7 = x.fma(FloatVector.fromArray(FLOAT, map, o7 + c), s7);
            }
            s0.intoArray(dst, m * LANES);
            s1.intoArray(dst, (m + 1) * LANES);
            s2.intoArray(dst, (m + 2) * LANES);
            s3.intoArray(dst, (m + 3) * LANES);
            s4.intoArray(dst, (m + 4) * LANES);
            s5.intoArray(dst, (m + 5) * LANES);
            s6.intoArray(dst, (m + 6) * LANES);
            s7.intoArray(dst, (m + 7) * LANES);
        }
        for (; m + 4 <= to; m += 4) {
            int o0 = at + offsets[m];
            int o1 = at + offsets[m + 1];
            int o2 = at + offsets[m + 2];
            int o3 = at + offsets[m + 3];
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int d = 0, c = 0; d < channels; d++, c += channelStride) {
                FloatVector x = FloatVector.fromArray(FLOAT, own, ownAt + c);
                s0 = x.fma(FloatVector.fromArray(FLOAT, map, o0 + c), s0);
                s1 = x.fma(FloatVector.fromArray(FLOAT, map, o1 + c), s1);
                s2 = x.fma(FloatVector.fromArray(FLOAT, map, o2 + c), s2);
                s3 = x.fma(FloatVector.fromArray(FLOAT, map, o3 + c), s3);
            }
            s0.intoArray(dst, m * LANES);
            s1.intoArray(dst, (m + 1) * LANES);
            s2.intoArray(dst, (m + 2) * LANES);
            s3.intoArray(dst, (m + 3) * LANES);
        }
        for (; m < to; m++) {
            int o0 = at + offsets[m];
            FloatVector s0 = FloatVector.zero(FLOAT);
            for (int d = 0, c = 0; d < channels; d++, c += channelStride) {
                s0 = FloatVector.fromArray(FLOAT, own, ownAt + c).fma(FloatVector.fromArray(FLOAT, map, o0 + c), s0);
            }
            s0.intoArray(dst, m * LANES);
        }
    }

    /**
     * {@code sums[d LANES ..] = sum over m in [from, to) of w[wAt + wOffsets[m] ..] map[d, at + offsets[m]]}:
     * one chain of fused multiply-adds from 0 in neighbour order per channel, eight channels at a time,
     * then four, then two (channel d of the map at {@code + d * channelStride}; channels is even).
     */
    private static void weightedSums(float[] w, int wAt, int[] wOffsets, float[] map, int at, int[] offsets,
            int from, int to, int channels, int channelStride, float[] sums) {
        int d = 0;
        for (; d + 8 <= channels; d += 8) {
            int c = at + d * channelStride;
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            for (int m = from; m < to; m++) {
                FloatVector x = FloatVector.fromArray(FLOAT, w, wAt + wOffsets[m]);
                int o = c + offsets[m];
                s0 = x.fma(FloatVector.fromArray(FLOAT, map, o), s0);
                s1 = x.fma(FloatVector.fromArray(FLOAT, map, o + channelStride), s1);
                s2 = x.fma(FloatVector.fromArray(FLOAT, map, o + 2 * channelStride), s2);
                s3 = x.fma(FloatVector.fromArray(FLOAT, map, o + 3 * channelStride), s3);
                s4 = x.fma(FloatVector.fromArray(FLOAT, map, o + 4 * channelStride), s4);
                s5 = x.fma(FloatVector.fromArray(FLOAT, map, o + 5 * channelStride), s5);
                s6 = x.fma(FloatVector.fromArray(FLOAT, map, o + 6 * channelStride), s6);
                s7 = x.fma(FloatVector.fromArray(FLOAT, map, o + 7 * channelStride), s7);
            }
            s0.intoArray(sums, d * LANES);
            s1.intoArray(sums, (d + 1) * LANES);
            s2.intoArray(sums, (d + 2) * LANES);
            s3.intoArray(sums, (d + 3) * LANES);
            s4.intoArray(sums, (d + 4) * LANES);
            s5.intoArray(sums, (d + 5) * LANES);
            s6.intoArray(sums, (d + 6) * LANES);
            s7.intoArray(sums, (d + 7) * LANES);
        }
        for (; d + 4 <= channels; d += 4) {
            int c = at + d * channelStride;
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int m = from; m < to; m++) {
                FloatVector x = FloatVector.fromArray(FLOAT, w, wAt + wOffsets[m]);
                int o = c + offsets[m];
                s0 = x.fma(FloatVector.fromArray(FLOAT, map, o), s0);
                s1 = x.fma(FloatVector.fromArray(FLOAT, map, o + channelStride), s1);
                s2 = x.fma(FloatVector.fromArray(FLOAT, map, o + 2 * channelStride), s2);
                s3 = x.fma(FloatVector.fromArray(FLOAT, map, o + 3 * channelStride), s3);
            }
            s0.intoArray(sums, d * LANES);
            s1.intoArray(sums, (d + 1) * LANES);
            s2.intoArray(sums, (d + 2) * LANES);
            s3.intoArray(sums, (d + 3) * LANES);
        }
        for (; d < channels; d += 2) {
            int c = at + d * channelStride;
            FloatVector s0 = FloatVector.zero(FLOAT);
            FloatVector s1 = s0;
            for (int m = from; m < to; m++) {
                FloatVector x = FloatVector.fromArray(FLOAT, w, wAt + wOffsets[m]);
                int o = c + offsets[m];
                s0 = x.fma(FloatVector.fromArray(FLOAT, map, o), s0);
                s1 = x.fma(FloatVector.fromArray(FLOAT, map, o + channelStride), s1);
            }
            s0.intoArray(sums, d * LANES);
            s1.intoArray(sums, (d + 1) * LANES);
        }
    }

    /**
     * Stores vectors {@code 0 .. count-1} of {@code src} at {@code dst[at + x stride ..]}, only the lanes
     * of image columns {@code column ..} below {@code width}.
     */
    private static void storeRows(float[] src, int count, float[] dst, int at, int stride, int column, int width) {
        if (column + LANES <= width) {
            for (int x = 0; x < count; x++) {
                FloatVector.fromArray(FLOAT, src, x * LANES).intoArray(dst, at + x * stride);
            }
        } else {
            VectorMask<Float> inside = FLOAT.indexInRange(column, width);
            for (int x = 0; x < count; x++) {
                FloatVector.fromArray(FLOAT, src, x * LANES).intoArray(dst, at + x * stride, inside);
            }
        }
    }

    /** The inverse of {@link #storeRows}, with 0 in the lanes of columns past {@code width}. */
    private static void loadRows(float[] src, int at, int stride, int count, int column, int width, float[] dst) {
        if (column + LANES <= width) {
            for (int x = 0; x < count; x++) {
                FloatVector.fromArray(FLOAT, src, at + x * stride).intoArray(dst, x * LANES);
            }
        } else {
            VectorMask<Float> inside = FLOAT.indexInRange(column, width);
            for (int x = 0; x < count; x++) {
                FloatVector.fromArray(FLOAT, src, at + x * stride, inside).intoArray(dst, x * LANES);
            }
        }
    }

    /**
     * The sizes of one call, computed from the shapes only: tiles, the padded row layout shared by all
     * channel maps of a tile, and the neighbours' offsets in it.
     */
    private static final class Plan {
        final int batch;
        final int channels;
        final int height;
        final int width;
        final int heads;
        final int dh;
        final int half;
        final int k;
        final int r;
        final int neighbours;
        final boolean mask;
        final float scale;
        final int rowBlocks;
        /** Rows of a tile (the last block of an image may have fewer). */
        final int tileRows;
        final int tiles;
        /** Columns computed: W rounded up to a multiple of LANES. */
        final int columns;
        /** A padded row: r zeros, the W values, zeros up to {@code columns + 2r}. */
        final int rowLength;
        /** Rows of a tile's padded maps: from 2r above its first row to 2r below its last. */
        final int mapRows;
        /** Distance between channels in a tile's padded maps. */
        final int channelStride;
        /** Neighbour {@code m = a k + e} of a pixel, relative to {@code (row, column - r)} of that pixel. */
        final int[] neighbourOffset;
        /**
         * The output pixel whose neighbour m a key pixel is, {@code (y - a + r, z - e + r)}, relative to
         * {@code (y, z - r)}.
         */
        final int[] sourceOffset;
        /** {@code m LANES}: where the vector of neighbour m is in a block of k^2 vectors. */
        final int[] blockOffset;
        /** {@code [e columns + j]}: column {@code j + e - r} is outside the image. */
        final boolean[] outsideColumn;

        Plan(Shape shape, LocalAttentionWindow window) {
            batch = shape.dim(0);
            channels = shape.dim(1);
            height = shape.dim(2);
            width = shape.dim(3);
            heads = window.heads();
            dh = window.headChannels(channels);
            half = dh / 2;
            k = window.kernelSize();
            r = window.radius();
            neighbours = window.neighbours();
            mask = window.border() == LocalAttentionWindow.Border.MASK;
            scale = (float) window.logitScale();
            rowBlocks = rowBlocks(batch * heads, height, r);
            tileRows = rowBlocks == 0 ? 0 : Tiles.count(height, rowBlocks);
            tiles = batch * heads * rowBlocks;
            columns = (width + LANES - 1) / LANES * LANES;
            rowLength = Math.max(columns + 2 * r, LANES);
            mapRows = tileRows + 4 * r;
            channelStride = mapRows * rowLength;
            neighbourOffset = new int[neighbours];
            sourceOffset = new int[neighbours];
            blockOffset = new int[neighbours];
            for (int a = 0; a < k; a++) {
                for (int e = 0; e < k; e++) {
                    int m = a * k + e;
                    neighbourOffset[m] = (a - r) * rowLength + e;
                    sourceOffset[m] = (r - a) * rowLength + 2 * r - e;
                    blockOffset[m] = m * LANES;
                }
            }
            outsideColumn = new boolean[k * columns];
            for (int e = 0; e < k; e++) {
                for (int j = 0; j < columns; j++) {
                    int z = j + e - r;
                    outsideColumn[e * columns + j] = z < 0 || z >= width;
                }
            }
        }

        int plane() {
            return height * width;
        }

        /** Where row m of ring slot {@code row mod (2r + 1)} starts: the ring of the last 2r + 1 output rows. */
        int ringRow(int row, int m) {
            return (row % (2 * r + 1) * neighbours + m) * rowLength;
        }
    }

    /** One tile's working memory; see the class comment. */
    private static final class Scratch {
        /** Padded channel maps of the tile's head (queries, keys, values, output gradient). */
        final float[] query;
        final float[] key;
        final float[] value;
        final float[] grad;
        /** k^2 vectors of one block of columns: logits, then weights; in backward p, dL/dp and t. */
        final float[] first;
        final float[] second;
        final float[] third;
        /** The t and p of the last 2r + 1 output rows; row m of output row i holds column j at e + j. */
        final float[] ringT;
        final float[] ringWeight;
        /** Where the gather reads neighbour m of the current key row in the rings. */
        final int[] ringOffset;
        /** Row terms (or row sums of t) in vectors {@code 0 .. k-1}, column terms in {@code k .. 2k-1}. */
        final float[] position;
        /** dh vectors of weighted sums. */
        final float[] sums;
        /** The embeddings' gradients in 16 logical accumulators each: row entries, then column entries. */
        final float[] embedding;

        Scratch(Plan p) {
            int map = p.dh * p.channelStride;
            query = new float[map];
            key = new float[map];
            value = new float[map];
            grad = new float[map];
            int block = p.neighbours * LANES;
            first = new float[block];
            second = new float[block];
            third = new float[block];
            int ring = (2 * p.r + 1) * p.neighbours * p.rowLength;
            ringT = new float[ring];
            ringWeight = new float[ring];
            ringOffset = new int[p.neighbours];
            position = new float[2 * p.k * LANES];
            sums = new float[p.dh * LANES];
            embedding = new float[2 * p.k * p.half * ACCUMULATORS];
        }
    }

    /** A tile's body, given its scratch. */
    private interface TileBody {
        void run(int tile, Scratch scratch);
    }

    /** The arrays of one call and its tile bodies, forward and backward. */
    private static final class Operands {
        final Plan plan;
        final float[] query;
        final int queryAt;
        final float[] key;
        final int keyAt;
        final float[] value;
        final int valueAt;
        final float[] relRow;
        final float[] relColumn;
        final ConcurrentLinkedDeque<Scratch> free = new ConcurrentLinkedDeque<>();
        float[] weights;
        int weightsAt;
        float[] output;
        float[] grad;
        int gradAt;
        float[] queryGrad;
        float[] keyGrad;
        float[] valueGrad;
        /** Per tile: its k x h partial of dL/drelRow, then of dL/drelCol. */
        float[] embeddingPartials;

        Operands(Plan plan, Tensor q, Tensor k, Tensor v, Tensor relRow, Tensor relColumn) {
            this.plan = plan;
            Tensor qc = q.contiguous();
            Tensor kc = k.contiguous();
            Tensor vc = v.contiguous();
            query = qc.floats();
            queryAt = qc.offset();
            key = kc.floats();
            keyAt = kc.offset();
            value = vc.floats();
            valueAt = vc.offset();
            this.relRow = relRow.toFloatArray();
            this.relColumn = relColumn.toFloatArray();
        }

        void withScratch(int tile, TileBody body) {
            Scratch s = free.poll();
            if (s == null) {
                s = new Scratch(plan);
            }
            body.run(tile, s);
            free.push(s);
        }

        /** The image (sample times heads plus head) of a tile. */
        int image(int tile) {
            return tile / plan.rowBlocks;
        }

        int firstRow(int tile) {
            return tile % plan.rowBlocks * plan.tileRows;
        }

        int endRow(int tile) {
            return Math.min(plan.height, firstRow(tile) + plan.tileRows);
        }

        /** Where channel 0 of the head of {@code image} starts in an (N, C, H, W) map. */
        int channelsAt(int image) {
            int b = image / plan.heads;
            int n = image % plan.heads;
            return (b * plan.channels + n * plan.dh) * plan.plane();
        }

        /**
         * Copies image rows {@code [from, to)} (clipped to the image) of the head's dh channels of
         * {@code src} into padded rows of {@code dst}, whose first row is image row {@code first}. The
         * padding columns are never written, so they keep the zeros of the scratch's allocation; rows
         * outside the image are never read.
         */
        void pad(float[] src, int srcAt, int from, int to, int first, float[] dst) {
            Plan p = plan;
            for (int d = 0; d < p.dh; d++) {
                for (int y = Math.max(from, 0); y < Math.min(to, p.height); y++) {
                    System.arraycopy(src, srcAt + d * p.plane() + y * p.width, dst,
                            d * p.channelStride + (y - first) * p.rowLength + p.r, p.width);
                }
            }
        }

        /** The rows of one tile: logits, softmax, weights and output, a block of LANES columns at a time. */
        void forwardTile(int tile, Scratch s) {
            Plan p = plan;
            int image = image(tile);
            int y0 = firstRow(tile);
            int y1 = endRow(tile);
            int first = y0 - 2 * p.r;
            int channels = channelsAt(image);
            pad(query, queryAt + channels, y0, y1, first, s.query);
            pad(key, keyAt + channels, y0 - p.r, y1 + p.r, first, s.key);
            pad(value, valueAt + channels, y0 - p.r, y1 + p.r, first, s.value);
            int plane = p.plane();
            int weightsPlane = image * p.neighbours * plane;
            float[] logits = s.first;
            for (int i = y0; i < y1; i++) {
                int from = Math.max(0, p.r - i) * p.k;
                int to = Math.min(p.k, p.height + p.r - i) * p.k;
                for (int j0 = 0; j0 < p.columns; j0 += LANES) {
                    int at = (i - first) * p.rowLength + j0;
                    positionTerms(s.query, at + p.r, s.position);
                    dots(s.query, at + p.r, s.key, at, p.neighbourOffset, from, to, p.dh, p.channelStride, logits,
                            p.neighbours);
                    softmax(logits, s.position, from, to, j0);
                    storeRows(logits, p.neighbours, weights, weightsPlane + i * p.width + j0, plane, j0, p.width);
                    weightedSums(logits, 0, p.blockOffset, s.value, at, p.neighbourOffset, from, to, p.dh,
                            p.channelStride, s.sums);
                    storeRows(s.sums, p.dh, output, channels + i * p.width + j0, plane, j0, p.width);
                }
            }
        }

        /**
         * The positional terms of one block of pixels, {@code own} their query in the padded maps:
         * {@code q[:h] . relRow[a]} in vector a and {@code q[h:] . relCol[e]} in vector k + e of
         * {@code position}, each one chain of fused multiply-adds from 0 in channel order.
         */
        private void positionTerms(float[] queries, int own, float[] position) {
            Plan p = plan;
            for (int a = 0; a < p.k; a++) {
                FloatVector sum = FloatVector.zero(FLOAT);
                for (int d = 0; d < p.half; d++) {
                    sum = FloatVector.fromArray(FLOAT, queries, own + d * p.channelStride)
                            .fma(FloatVector.broadcast(FLOAT, relRow[a * p.half + d]), sum);
                }
                sum.intoArray(position, a * LANES);
            }
            for (int e = 0; e < p.k; e++) {
                FloatVector sum = FloatVector.zero(FLOAT);
                for (int d = 0; d < p.half; d++) {
                    sum = FloatVector.fromArray(FLOAT, queries, own + (p.half + d) * p.channelStride)
                            .fma(FloatVector.broadcast(FLOAT, relColumn[e * p.half + d]), sum);
                }
                sum.intoArray(position, (p.k + e) * LANES);
            }
        }

        /**
         * Turns the content terms of one block of columns into the attention weights, in place: adds the
         * positional terms, scales, sets the neighbours outside the image to minus infinity under MASK
         * (rows outside {@code [from, to)}, and columns outside in blocks at the left or right border),
         * then takes the softmax over the neighbours, lane by lane.
         */
        private void softmax(float[] logits, float[] position, int from, int to, int j0) {
            Plan p = plan;
            FloatVector minusInfinity = FloatVector.broadcast(FLOAT, Float.NEGATIVE_INFINITY);
            FloatVector scale = FloatVector.broadcast(FLOAT, p.scale);
            boolean columnBorder = p.mask && (j0 < p.r || j0 + LANES + p.r > p.width);
            FloatVector max = minusInfinity;
            for (int a = 0; a < p.k; a++) {
                boolean rowOutside = a * p.k < from || a * p.k >= to;
                FloatVector rowTerm = FloatVector.fromArray(FLOAT, position, a * LANES);
                for (int e = 0; e < p.k; e++) {
                    int m = a * p.k + e;
                    FloatVector logit;
                    if (p.mask && rowOutside) {
                        logit = minusInfinity;
                    } else {
                        FloatVector columnTerm = FloatVector.fromArray(FLOAT, position, (p.k + e) * LANES);
                        logit = FloatVector.fromArray(FLOAT, logits, m * LANES).add(rowTerm).add(columnTerm).mul(scale);
                        if (columnBorder) {
                            logit = logit.blend(minusInfinity,
                                    VectorMask.fromArray(FLOAT, p.outsideColumn, e * p.columns + j0));
                        }
                    }
                    logit.intoArray(logits, m * LANES);
                    max = max.max(logit);
                }
            }
            FloatVector sum = FloatVector.zero(FLOAT);
            for (int m = 0; m < p.neighbours; m++) {
                FloatVector e = FastExp.exp(FloatVector.fromArray(FLOAT, logits, m * LANES).sub(max));
                e.intoArray(logits, m * LANES);
                sum = sum.add(e);
            }
            for (int m = 0; m < p.neighbours; m++) {
                FloatVector.fromArray(FLOAT, logits, m * LANES).div(sum).intoArray(logits, m * LANES);
            }
        }

        /**
         * Backward for the rows {@code [y0, y1)} of one tile: per output row i from {@code y0 - r} to
         * {@code y1 + r - 1}, t and p into the rings (and, for the tile's own rows, dL/dq and the
         * embeddings' gradients), then the gather of key row {@code i - r}.
         */
        void backwardTile(int tile, Scratch s) {
            Plan p = plan;
            int image = image(tile);
            int y0 = firstRow(tile);
            int y1 = endRow(tile);
            int first = y0 - 2 * p.r;
            int firstOutput = Math.max(0, y0 - p.r);
            int endOutput = Math.min(p.height, y1 + p.r);
            int channels = channelsAt(image);
            pad(query, queryAt + channels, firstOutput, endOutput, first, s.query);
            pad(grad, gradAt + channels, firstOutput, endOutput, first, s.grad);
            pad(key, keyAt + channels, y0 - p.r, y1 + p.r, first, s.key);
            pad(value, valueAt + channels, firstOutput - p.r, endOutput + p.r, first, s.value);
            Arrays.fill(s.embedding, 0f);
            for (int i = firstOutput; i < endOutput; i++) {
                outputRowGradients(s, image, i, first, i >= y0 && i < y1);
                int y = i - p.r;
                if (y >= y0 && y < y1) {
                    keyRowGradients(s, image, y, first);
                }
            }
            for (int y = Math.max(y0, endOutput - p.r); y < y1; y++) {
                keyRowGradients(s, image, y, first);
            }
            int partial = tile * 2 * p.k * p.half;
            for (int x = 0; x < 2 * p.k * p.half; x++) {
                embeddingPartials[partial + x] = LogicalLanes.sumTree(s.embedding, x * ACCUMULATORS);
            }
        }

        /**
         * Output row i: dL/dp and t of every pixel, into the rings with p; when the row is the tile's own,
         * also dL/dq and its contribution to the embeddings' gradients.
         */
        private void outputRowGradients(Scratch s, int image, int i, int first, boolean own) {
            Plan p = plan;
            int plane = p.plane();
            int weightsPlane = weightsAt + image * p.neighbours * plane;
            int channels = channelsAt(image);
            int from = Math.max(0, p.r - i) * p.k;
            int to = Math.min(p.k, p.height + p.r - i) * p.k;
            int groups = ACCUMULATORS / LANES;
            float[] weight = s.first;
            float[] weightGrad = s.second;
            float[] t = s.third;
            for (int j0 = 0; j0 < p.columns; j0 += LANES) {
                int at = (i - first) * p.rowLength + j0;
                int pixel = i * p.width + j0;
                loadRows(weights, weightsPlane + pixel, plane, p.neighbours, j0, p.width, weight);
                dots(s.grad, at + p.r, s.value, at, p.neighbourOffset, from, to, p.dh, p.channelStride, weightGrad,
                        p.neighbours);
                logitGradients(weight, weightGrad, t);
                storeShifted(t, s.ringT, i, j0);
                storeShifted(weight, s.ringWeight, i, j0);
                if (own) {
                    rowAndColumnSums(t, s.position);
                    weightedSums(t, 0, p.blockOffset, s.key, at, p.neighbourOffset, from, to, p.dh,
                            p.channelStride, s.sums);
                    addPositionalQueryGradient(s.sums, s.position);
                    storeRows(s.sums, p.dh, queryGrad, channels + pixel, plane, j0, p.width);
                    accumulateEmbeddingGradients(s, at + p.r, j0 / LANES % groups * LANES, j0);
                }
            }
        }

        /** {@code t = s p (dL/dp - sum over neighbours of p dL/dp)}, lane by lane, for one block of columns. */
        private void logitGradients(float[] weight, float[] weightGrad, float[] t) {
            Plan p = plan;
            FloatVector scale = FloatVector.broadcast(FLOAT, p.scale);
            FloatVector expected = FloatVector.zero(FLOAT);
            for (int m = 0; m < p.neighbours; m++) {
                expected = FloatVector.fromArray(FLOAT, weight, m * LANES)
                        .fma(FloatVector.fromArray(FLOAT, weightGrad, m * LANES), expected);
            }
            for (int m = 0; m < p.neighbours; m++) {
                FloatVector dp = FloatVector.fromArray(FLOAT, weightGrad, m * LANES);
                FloatVector.fromArray(FLOAT, weight, m * LANES).mul(dp.sub(expected)).mul(scale)
                        .intoArray(t, m * LANES);
            }
        }

        /**
         * Stores a block of k^2 vectors of output row i into its ring slot, neighbour {@code (a, e)}'s
         * column j at {@code e + j}; only columns below W, so the rest of each ring row stays 0.
         */
        private void storeShifted(float[] block, float[] ring, int i, int j0) {
            Plan p = plan;
            if (j0 + LANES <= p.width) {
                for (int m = 0; m < p.neighbours; m++) {
                    FloatVector.fromArray(FLOAT, block, m * LANES).intoArray(ring, p.ringRow(i, m) + m % p.k + j0);
                }
            } else {
                VectorMask<Float> inside = FLOAT.indexInRange(j0, p.width);
                for (int m = 0; m < p.neighbours; m++) {
                    FloatVector.fromArray(FLOAT, block, m * LANES)
                            .intoArray(ring, p.ringRow(i, m) + m % p.k + j0, inside);
                }
            }
        }

        /** Row sums {@code sum over e of t[a, e]} into vectors a, column sums into vectors k + e of {@code sums}. */
        private void rowAndColumnSums(float[] t, float[] sums) {
            Plan p = plan;
            for (int a = 0; a < p.k; a++) {
                FloatVector sum = FloatVector.fromArray(FLOAT, t, a * p.k * LANES);
                for (int e = 1; e < p.k; e++) {
                    sum = sum.add(FloatVector.fromArray(FLOAT, t, (a * p.k + e) * LANES));
                }
                sum.intoArray(sums, a * LANES);
            }
            for (int e = 0; e < p.k; e++) {
                FloatVector sum = FloatVector.fromArray(FLOAT, t, e * LANES);
                for (int a = 1; a < p.k; a++) {
                    sum = sum.add(FloatVector.fromArray(FLOAT, t, (a * p.k + e) * LANES));
                }
                sum.intoArray(sums, (p.k + e) * LANES);
            }
        }

        /**
         * Continues each channel's chain of dL/dq with its positional part: row sums of t times
         * {@code relRow[a, d]} for {@code d < h}, column sums times {@code relCol[e, d - h]} for the others.
         */
        private void addPositionalQueryGradient(float[] sums, float[] position) {
            Plan p = plan;
            for (int d = 0; d < p.dh; d++) {
                FloatVector sum = FloatVector.fromArray(FLOAT, sums, d * LANES);
                if (d < p.half) {
                    for (int a = 0; a < p.k; a++) {
                        sum = FloatVector.fromArray(FLOAT, position, a * LANES)
                                .fma(FloatVector.broadcast(FLOAT, relRow[a * p.half + d]), sum);
                    }
                } else {
                    for (int e = 0; e < p.k; e++) {
                        sum = FloatVector.fromArray(FLOAT, position, (p.k + e) * LANES)
                                .fma(FloatVector.broadcast(FLOAT, relColumn[e * p.half + d - p.half]), sum);
                    }
                }
                sum.intoArray(sums, d * LANES);
            }
        }

        /**
         * Adds one block's contributions to the embeddings' gradients: row sum a of t times {@code q[d]} to
         * entry {@code (a, d)} of dL/drelRow, column sum e times {@code q[h + d]} to entry {@code (e, d)} of
         * dL/drelCol, each pixel's into logical accumulator {@code j mod 16} ({@code group} is where the
         * block's first column falls among the 16). Columns past W are left out.
         */
        private void accumulateEmbeddingGradients(Scratch s, int own, int group, int j0) {
            Plan p = plan;
            boolean tail = j0 + LANES > p.width;
            VectorMask<Float> inside = FLOAT.indexInRange(j0, p.width);
            for (int x = 0; x < 2 * p.k; x++) {
                FloatVector sum = FloatVector.fromArray(FLOAT, s.position, x * LANES);
                int channel0 = x < p.k ? 0 : p.half;
                int entry = x * p.half * ACCUMULATORS + group;
                for (int d = 0; d < p.half; d++, entry += ACCUMULATORS) {
                    FloatVector before = FloatVector.fromArray(FLOAT, s.embedding, entry);
                    FloatVector after = sum.fma(FloatVector.fromArray(FLOAT, s.query,
                            own + (channel0 + d) * p.channelStride), before);
                    if (tail) {
                        after = before.blend(after, inside);
                    }
                    after.intoArray(s.embedding, entry);
                }
            }
        }

        /**
         * Key row y: dL/dk and dL/dv gathered from the output pixels {@code (y - a + r, z - e + r)} whose
         * t and p are in the rings (rows {@code y - r .. y + r}).
         */
        private void keyRowGradients(Scratch s, int image, int y, int first) {
            Plan p = plan;
            int plane = p.plane();
            int channels = channelsAt(image);
            int from = Math.max(0, y + p.r - p.height + 1) * p.k;
            int to = Math.min(p.k, y + p.r + 1) * p.k;
            for (int m = from; m < to; m++) {
                s.ringOffset[m] = p.ringRow(y - m / p.k + p.r, m);
            }
            for (int z0 = 0; z0 < p.columns; z0 += LANES) {
                int at = (y - first) * p.rowLength + z0;
                int outAt = channels + y * p.width + z0;
                weightedSums(s.ringT, z0 + p.r, s.ringOffset, s.query, at, p.sourceOffset, from, to, p.dh,
                        p.channelStride, s.sums);
                storeRows(s.sums, p.dh, keyGrad, outAt, plane, z0, p.width);
                weightedSums(s.ringWeight, z0 + p.r, s.ringOffset, s.grad, at, p.sourceOffset, from, to, p.dh,
                        p.channelStride, s.sums);
                storeRows(s.sums, p.dh, valueGrad, outAt, plane, z0, p.width);
            }
        }
    }
}
