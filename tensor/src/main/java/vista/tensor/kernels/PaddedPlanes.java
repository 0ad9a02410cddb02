package vista.tensor.kernels;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.Shape;
import vista.tensor.geometry.Footprint;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The layout, computed from the shapes only, of the padded planes of one call of a SAN fast kernel,
 * and the steps every such kernel shares: padding a plane, staging a band of rows, gathering
 * neighbour gradients into a padded plane and folding it back.
 *
 * <p>A padded plane has {@link #rows} rows, padded rows {@code 0 .. (H_out - 1) s + d (k - 1)}: all
 * that any output pixel reads. A row holds s phases of {@link #phaseLength} floats; padded column p
 * is at {@code (p mod s) phaseLength + p / s} (for s = 1, simply at p). Output pixel (i, j) reads
 * neighbour {@code m = a k + b} at {@code rowStart(i) + neighbourOffset[m] + j}, and its centre at
 * {@code rowStart(i) + centreOffset + j}: for fixed i and m, consecutive j are consecutive floats.
 * A phase row is long enough for a whole vector at any column a kernel reads or gathers, and for
 * every padded column; cells past the border are never written, so they stay 0.
 *
 * <p>Per-neighbour tensors (weights, gradients: k^2 planes of H_out x W_out) are read a band of
 * {@link #bandRows} output rows at a time, plane by plane, into scratch: either row by row between
 * zeros ({@link #stageBand}, for the gathers, which read rows shifted) or as one run per plane
 * ({@link #stageFlatBand}).
 */
final class PaddedPlanes {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    /**
     * Floats of each plane that one band stages in one run. Reading the k^2 planes of weights or
     * gradients a row at a time, 49 interleaved streams, is about three times slower than reading
     * them in order: the hardware prefetchers lose track. Runs of 2 KB read at nearly full speed.
     */
    static final int BAND_FLOATS = 512;
    final int batch;
    final int channels;
    final int height;
    final int width;
    final int outHeight;
    final int outWidth;
    final int size;
    final int stride;
    final int dilation;
    final int pad;
    final int neighbours;
    final boolean reflect;
    /** H W, the floats of one input plane. */
    final int inputPlane;
    /** L = H_out W_out, the floats of one output plane. */
    final int outputPlane;
    /** W_out rounded up to a multiple of LANES: the floats a staged row is copied in. */
    final int columns;
    /** {@code d (k - 1) / s}: the largest offset of a neighbour within its phase. */
    final int reach;
    final int phaseLength;
    /** {@code s phaseLength}, a multiple of LANES. */
    final int rowLength;
    final int rows;
    final int planeLength;
    /** Neighbour {@code a k + b} of output pixel (i, j), relative to {@code rowStart(i) + j}. */
    final int[] neighbourOffset;
    /** The centre {@code (i s, j s)} of output pixel (i, j), relative to {@code rowStart(i) + j}. */
    final int centreOffset;
    /** {@code phaseColumns[q]}: the column offsets b whose neighbours {@code b d} lie in phase q. */
    final int[][] phaseColumns;
    /** {@code (b d) / s}, the shift of column offset b within its phase. */
    final int[] columnShift;
    /** The padded columns per phase that receive gradients: {@code W_out + reach}, in whole vectors. */
    final int gatherColumns;
    /**
     * A staged row: {@code reach} zeros, the W_out values, then zeros, far enough for the gather and
     * for the vector of zeros that {@link #stageBand} stores after the values.
     */
    final int stagedLength;
    /** Output rows per band: about {@value #BAND_FLOATS} floats of each staged plane. */
    final int bandRows;
    /** Distance between the planes of a band staged in one run by {@link #stageFlatBand}. */
    final int flatStride;
    /**
     * The first columns of the blocks of LANES output columns that cover a row: 0, LANES, ... and, if
     * W_out is not a multiple of LANES, {@code W_out - LANES}, a block that overlaps its predecessor.
     * Recomputing a few pixels with the same operations gives the same bits, and costs less than a
     * mask computed per row (measured: staging with such masks took twice as long). A row narrower
     * than LANES is one block, stored under {@link #narrowMask}.
     */
    final int[] columnBlocks;
    /** W_out is below LANES. */
    final boolean narrow;
    /** The lanes of columns below W_out, for rows narrower than LANES. */
    final VectorMask<Float> narrowMask;

    PaddedPlanes(Shape input, Footprint footprint) {
        batch = input.dim(0);
        channels = input.dim(1);
        height = input.dim(2);
        width = input.dim(3);
        outHeight = footprint.outputSize(height);
        outWidth = footprint.outputSize(width);
        size = footprint.size();
        stride = footprint.stride();
        dilation = footprint.dilation();
        pad = footprint.pad();
        neighbours = footprint.neighbours();
        reflect = footprint.padding() == Footprint.Padding.REFLECT;
        inputPlane = height * width;
        outputPlane = outHeight * outWidth;
        columns = roundUp(outWidth);
        int span = dilation * (size - 1);
        reach = span / stride;
        phaseLength = roundUp(Math.max(columns + reach, (width + 2 * pad - 1) / stride + 1));
        rowLength = stride * phaseLength;
        rows = (outHeight - 1) * stride + span + 1;
        planeLength = rows * rowLength;
        neighbourOffset = new int[neighbours];
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                neighbourOffset[a * size + b] = a * dilation * rowLength + position(b * dilation);
            }
        }
        centreOffset = pad * rowLength + position(pad);
        columnShift = new int[size];
        int[] perPhase = new int[stride];
        for (int b = 0; b < size; b++) {
            columnShift[b] = b * dilation / stride;
            perPhase[b * dilation % stride]++;
        }
        phaseColumns = new int[stride][];
        for (int q = 0; q < stride; q++) {
            phaseColumns[q] = new int[perPhase[q]];
            perPhase[q] = 0;
        }
        for (int b = 0; b < size; b++) {
            int q = b * dilation % stride;
            phaseColumns[q][perPhase[q]++] = b;
        }
        gatherColumns = roundUp(outWidth + reach);
        stagedLength = reach + Math.max(gatherColumns, columns + LANES);
        bandRows = Math.min(outHeight, (BAND_FLOATS + outWidth - 1) / outWidth);
        flatStride = bandRows * outWidth + LANES;
        narrow = outWidth < LANES;
        narrowMask = FLOAT.indexInRange(0, Math.min(outWidth, LANES));
        columnBlocks = new int[narrow ? 1 : columns / LANES];
        for (int b = 0; b < columnBlocks.length; b++) {
            columnBlocks[b] = Math.min(b * LANES, Math.max(0, outWidth - LANES));
        }
    }

    static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** Where padded column {@code p} lies within a padded row. */
    int position(int p) {
        return p % stride * phaseLength + p / stride;
    }

    /** Where the padded row of output row i's centres starts, minus {@link #centreOffset}. */
    int rowStart(int i) {
        return i * stride * rowLength;
    }

    /** The pixel that position {@code p} (from -pad) reads along an axis of {@code n}, or -1 for a zero. */
    private int source(int p, int n) {
        if (p >= 0 && p < n) {
            return p;
        }
        if (!reflect) {
            return -1;
        }
        return p < 0 ? -p : 2 * (n - 1) - p;
    }

    /**
     * Copies the plane {@code src[srcAt ..]} (H x W) into the padded plane {@code dst[dstAt ..]}, the
     * border reflected or left 0 (under zero padding it is never written).
     */
    void pad(float[] src, int srcAt, float[] dst, int dstAt) {
        for (int py = 0; py < rows; py++) {
            int y = source(py - pad, height);
            if (y < 0) {
                continue;
            }
            int from = srcAt + y * width;
            int to = dstAt + py * rowLength;
            if (stride == 1) {
                System.arraycopy(src, from, dst, to + pad, width);
                if (reflect) {
                    for (int t = 1; t <= pad; t++) {
                        dst[to + pad - t] = src[from + t];
                        dst[to + pad + width - 1 + t] = src[from + width - 1 - t];
                    }
                }
            } else {
                for (int p = 0; p < width + 2 * pad; p++) {
                    int z = source(p - pad, width);
                    if (z >= 0) {
                        dst[to + position(p)] = src[from + z];
                    }
                }
            }
        }
    }

    /**
     * Stages rows {@code [i0, i0 + rows)} of the {@code count} planes {@code src[srcAt + m planeStride ..]}
     * (each H_out x W_out), plane by plane, into {@code staged}: row r of plane m at
     * {@link #staged staged(m, r)}, between zeros. Each plane is read in one run of consecutive rows, a
     * row in whole vectors (its last one reads a little of the next row), then a vector of zeros
     * restores the border after it; the last rows of {@code src} are copied exactly.
     */
    void stageBand(float[] src, int srcAt, int count, int planeStride, int i0, int rows, float[] staged) {
        FloatVector zero = FloatVector.zero(FLOAT);
        for (int m = 0; m < count; m++) {
            int from = srcAt + m * planeStride + i0 * outWidth;
            int to = staged(m, 0);
            for (int r = 0; r < rows; r++, from += outWidth, to += stagedLength) {
                if (from + columns <= src.length) {
                    copyVectors(src, from, staged, to, columns);
                    zero.intoArray(staged, to + outWidth);
                } else {
                    copyRun(src, from, staged, to, outWidth);
                }
            }
        }
    }

    /**
     * Stages rows {@code [i0, i0 + rows)} of the {@code count} planes {@code src[srcAt + m planeStride ..]}
     * as runs: plane m's rows one after the other from {@code flat[m flatStride]}, with no zeros between
     * them. For reads whose lanes past W_out are never stored.
     */
    void stageFlatBand(float[] src, int srcAt, int count, int planeStride, int i0, int rows, float[] flat) {
        for (int m = 0; m < count; m++) {
            copyRun(src, srcAt + m * planeStride + i0 * outWidth, flat, m * flatStride, rows * outWidth);
        }
    }

    /** Where column 0 of row r of plane m of a band is staged. */
    int staged(int m, int r) {
        return (m * bandRows + r) * stagedLength + reach;
    }

    /** The floats that staging a band of {@code count} planes takes. */
    int stagedSize(int count) {
        return count * bandRows * stagedLength;
    }

    /**
     * Adds (or, if {@code subtract}, subtracts) the staged gradients of output row i (row r of the
     * staged band) to the padded plane {@code padded[0 ..]}: padded row {@code i s + a d}, column
     * {@code j s + b d} receives column j of staged plane {@code a k + b}. Per padded row and phase,
     * a block of LANES columns takes its k (or fewer, under a stride) terms in increasing b.
     */
    void gatherRow(float[] staged, int i, int r, float[] padded, boolean subtract) {
        for (int a = 0; a < size; a++) {
            int row = (i * stride + a * dilation) * rowLength;
            for (int q = 0; q < stride; q++) {
                int[] bs = phaseColumns[q];
                if (bs.length == 0) {
                    continue;
                }
                int phase = row + q * phaseLength;
                for (int c0 = 0; c0 < gatherColumns; c0 += LANES) {
                    FloatVector sum = FloatVector.fromArray(FLOAT, padded, phase + c0);
                    for (int b : bs) {
                        FloatVector g = FloatVector.fromArray(FLOAT, staged,
                                staged(a * size + b, r) + c0 - columnShift[b]);
                        sum = subtract ? sum.sub(g) : sum.add(g);
                    }
                    sum.intoArray(padded, phase + c0);
                }
            }
        }
    }

    /**
     * Folds the padded plane {@code padded[at ..]} onto the plane {@code dst[dstAt ..]} (H x W, all
     * zero): under reflection, each border row is first added to the row it mirrors, then each
     * border column to the column it mirrors; then the image cells are copied. Under zero padding
     * the border is dropped.
     */
    void fold(float[] padded, int at, float[] dst, int dstAt) {
        if (reflect) {
            for (int t = 1; t <= pad; t++) {
                addRow(padded, at + (pad - t) * rowLength, at + (pad + t) * rowLength);
                int below = pad + height - 1 + t;
                if (below < rows) {
                    addRow(padded, at + below * rowLength, at + (pad + height - 1 - t) * rowLength);
                }
            }
            for (int py = pad; py < Math.min(rows, pad + height); py++) {
                int row = at + py * rowLength;
                for (int t = 1; t <= pad; t++) {
                    padded[row + position(pad + t)] += padded[row + position(pad - t)];
                    padded[row + position(pad + width - 1 - t)] += padded[row + position(pad + width - 1 + t)];
                }
            }
        }
        for (int y = 0; y < height && y + pad < rows; y++) {
            int row = at + (y + pad) * rowLength;
            int out = dstAt + y * width;
            if (stride == 1) {
                System.arraycopy(padded, row + pad, dst, out, width);
            } else {
                for (int z = 0; z < width; z++) {
                    dst[out + z] = padded[row + position(z + pad)];
                }
            }
        }
    }

    /** {@code padded[to ..] += padded[from ..]} over one padded row. */
    private void addRow(float[] padded, int from, int to) {
        for (int c = 0; c < rowLength; c += LANES) {
            FloatVector.fromArray(FLOAT, padded, to + c).add(FloatVector.fromArray(FLOAT, padded, from + c))
                    .intoArray(padded, to + c);
        }
    }

    /**
     * {@code dst[dstAt .. + count) = src[srcAt .. + count)}, LANES floats at a time, the last vector
     * overlapping its predecessor; masked if count is below LANES.
     */
    static void copyRun(float[] src, int srcAt, float[] dst, int dstAt, int count) {
        if (count < LANES) {
            VectorMask<Float> inside = FLOAT.indexInRange(0, count);
            FloatVector.fromArray(FLOAT, src, srcAt, inside).intoArray(dst, dstAt, inside);
            return;
        }
        int whole = (count - 1) / LANES * LANES;
        copyVectors(src, srcAt, dst, dstAt, whole);
        FloatVector.fromArray(FLOAT, src, srcAt + count - LANES).intoArray(dst, dstAt + count - LANES);
    }

    /**
     * {@code dst[dstAt .. + count) = src[srcAt .. + count)} for a count that is a multiple of LANES, four
     * vectors at a time, all four loaded before any is stored: interleaving single loads and stores
     * copied staged rows half as fast.
     */
    private static void copyVectors(float[] src, int srcAt, float[] dst, int dstAt, int count) {
        int j = 0;
        for (; j + 4 * LANES <= count; j += 4 * LANES) {
            FloatVector v0 = FloatVector.fromArray(FLOAT, src, srcAt + j);
            FloatVector v1 = FloatVector.fromArray(FLOAT, src, srcAt + j + LANES);
            FloatVector v2 = FloatVector.fromArray(FLOAT, src, srcAt + j + 2 * LANES);
            FloatVector v3 = FloatVector.fromArray(FLOAT, src, srcAt + j + 3 * LANES);
            v0.intoArray(dst, dstAt + j);
            v1.intoArray(dst, dstAt + j + LANES);
            v2.intoArray(dst, dstAt + j + 2 * LANES);
            v3.intoArray(dst, dstAt + j + 3 * LANES);
        }
        for (; j < count; j += LANES) {
            FloatVector.fromArray(FLOAT, src, srcAt + j).intoArray(dst, dstAt + j);
        }
    }

    /**
     * For rows narrower than LANES: stores vectors {@code 0 .. count-1} of {@code src} at
     * {@code dst[at + x stride ..]}, only the lanes of columns below W_out.
     */
    void storeNarrow(float[] src, int count, float[] dst, int at, int stride) {
        for (int x = 0; x < count; x++) {
            FloatVector.fromArray(FLOAT, src, x * LANES).intoArray(dst, at + x * stride, narrowMask);
        }
    }

    /**
     * Runs {@code body} for tiles {@code 0 .. count-1} with {@link Tiles#forEach}, each with a scratch
     * from a free list owned by this call: about one scratch per thread is ever made.
     */
    static <S> void forEachTile(int count, Supplier<S> newScratch, ObjIntConsumer<S> body) {
        ConcurrentLinkedDeque<S> free = new ConcurrentLinkedDeque<>();
        Tiles.forEach(count, t -> {
            S scratch = free.poll();
            if (scratch == null) {
                scratch = newScratch.get();
            }
            body.accept(scratch, t);
            free.push(scratch);
        });
    }
}
