package vista.tensor.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import vista.tensor.runtime.Tiles;
import vista.tensor.runtime.Vectors;

/**
 * The fast {@link GemmKernels}: {@code C (+)= op(A) op(B)} with packed panels, a register-blocked Vector API
 * micro-kernel and deterministic parallel tiles. Arguments are checked by {@link GemmKernels}.
 *
 * <p><b>Blocking</b>, from the inside out. The sizes were chosen and measured on this project's
 * machine (AVX-512: 16 float lanes, 32 vector registers, two 512-bit FMA pipes; 48 KiB L1 and 1 MiB L2
 * per core); {@code bench/RESULTS.md} has the figures.
 * <ul>
 *   <li><b>Micro-kernel, {@value #ROWS} rows x 2 vectors</b> (8 x 32 floats of C): 16 accumulator
 *       registers, 16 independent FMA chains, enough to hide the 4-cycle FMA latency on both pipes;
 *       per depth step it loads 2 vectors of op(B) and broadcasts 8 scalars of op(A) for 16 FMAs. On
 *       packed in-cache panels 8x2, 8x3, 6x4, 12x2 and 14x2 all ran at 230-245 GFLOP/s, within 10% of
 *       the core's measured FMA peak, so the smallest was kept: it pads narrow matrices least (n is
 *       rounded up to 32 columns).</li>
 *   <li><b>Packing</b>: rows of op(A) are copied into micro-panels of {@value #ROWS} rows laid out
 *       {@code [p][row]}, columns of op(B) into micro-panels of 2 vectors laid out {@code [p][column]},
 *       both zero-padded at the edges; a tile packs all its B panels of a depth block at once, reading a
 *       row-major B row by row. The micro-kernel then reads with unit stride whatever the
 *       transposes are; a transpose only changes the copy loop, which runs once per element per tile.</li>
 *   <li><b>Depth block {@value #DEPTH}</b> (KC): one packed B micro-panel, 256 x 32 floats = 32 KiB,
 *       stays in L1 while the micro-kernel walks down all the A micro-panels of the tile; 256 FMAs per
 *       accumulator between a load and a store of C make the C traffic negligible.</li>
 *   <li><b>Tiles of up to {@value #MAX_TILE_ROWS} x {@value #MAX_TILE_COLUMNS}</b> (MC x NC) of C: the
 *       packed A block, 256 x 256 floats = 256 KiB, stays in L2 while all column panels of the tile pass
 *       by. In a large product each packed A element is then used 512 times and each packed B element
 *       256 times, so packing costs a few percent; with few rows (m = 64 in the convolution benchmark)
 *       it costs about a tenth, and more when op(B) is transposed, as the transposing copy
 *       ({@link PanelTranspose}) is then paid for only 64 FMAs per element. Tiles are the unit of parallel work
 *       ({@link Tiles#forEach}); {@link TileGrid} picks them from m, n and k alone and each one writes
 *       a disjoint block of C.</li>
 * </ul>
 *
 * <p><b>Narrow products.</b> With at most {@value NarrowGemm#FEW_ROWS} rows (op(B) not transposed) or at most
 * one vector of columns (op(A) plain, op(B) transposed) the tiles run {@link NarrowGemm}'s unpacked kernels
 * instead, with the same chains; the choice depends on the shape and transposes only. The few-columns kernel
 * transposes into the thread's B packing buffer, which it does not otherwise use.
 *
 * <p><b>Determinism.</b> A tile runs its depth blocks in order; the first starts every accumulator at 0
 * (or loads C when accumulating), later ones load the partial C stored by the previous block and keep
 * FMA-ing, so each {@code C[i][j]} is the single chain {@code s = fma(opA[i][p], opB[p][j], s)} for
 * {@code p = 0 .. k-1}, exactly like {@link GemmReference}, whatever the tiles, threads or vector width.
 * Edge blocks run the same micro-kernel on a private zero-padded block; padding only produces lanes
 * that are thrown away. No lane is ever summed with another.
 *
 * <p><b>Memory.</b> Each thread keeps one workspace (packing buffers and the edge block) for its
 * lifetime, so a multiply allocates nothing per tile. A tile never joins other tasks while it uses the
 * workspace, so its thread cannot be handed another tile half-way through.
 */
final class GemmFast {
    private static final VectorSpecies<Float> FLOAT = Vectors.FLOAT;
    private static final int LANES = Vectors.LANES;
    /** 8 floats, the width of an A panel; used only where such vectors are native ({@link #EIGHT_LANES}). */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    private static final boolean EIGHT_LANES = LANES >= 8;

    /** Rows of C per micro-kernel call (MR). */
    static final int ROWS = 8;
    /** Columns of C per micro-kernel call (NR): two vectors. */
    static final int COLUMNS = 2 * LANES;
    /** Depth (k) per packed block (KC). */
    static final int DEPTH = 256;
    /** Largest rows of C per tile (MC): the packed A block, 256 x 256 floats, is 256 KiB of L2. */
    static final int MAX_TILE_ROWS = 256;
    /** Largest columns of C per tile (NC). */
    static final int MAX_TILE_COLUMNS = 512;
    /** Tile widths are multiples of this, itself a multiple of {@link #COLUMNS} for every vector width. */
    static final int COLUMN_ALIGNMENT = 32;
    /** Tiles are split until there are this many, so that several threads can share the work evenly... */
    static final int MIN_TILES = 8;
    /**
     * ...but not below this many multiply-adds per tile (about 35 microseconds on one core): waking the
     * pool's threads costs tens of microseconds, and smaller tiles repack their operands more often.
     */
    static final int MIN_TILE_WORK = 1 << 23;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmFast() {
    }

    /**
     * An operand seen as lines along the depth: the rows of op(A), or the columns of op(B). Element
     * {@code p} of line {@code x} is {@code data[offset + x * lineStride + p * depthStride]}, and one
     * of the two strides is 1 (the other is the leading dimension).
     */
    private record Lines(float[] data, int offset, int lineStride, int depthStride) {
        static Lines of(float[] data, int offset, int ld, boolean linesAreStoredRows) {
            return linesAreStoredRows ? new Lines(data, offset, ld, 1) : new Lines(data, offset, 1, ld);
        }
    }

    /** One thread's packing buffers and edge tile, allocated once. */
    private static final class Workspace {
        final float[] packedA = new float[MAX_TILE_ROWS * DEPTH];
        final float[] packedB = new float[DEPTH * MAX_TILE_COLUMNS];
        final float[] edge = new float[ROWS * COLUMNS];
    }

    /** How C is cut into tiles of {@code rows x columns} (the last row and column of tiles may be smaller). */
    record TileGrid(int m, int n, int rows, int columns) {
        int rowTiles() {
            return Tiles.count(m, rows);
        }

        int columnTiles() {
            return Tiles.count(n, columns);
        }

        int count() {
            return rowTiles() * columnTiles();
        }

        /**
         * The grid for an m x n x k product: tiles of at most {@value GemmFast#MAX_TILE_ROWS} x
         * {@value GemmFast#MAX_TILE_COLUMNS}, halved (the longer side first) while there are fewer than
         * {@value GemmFast#MIN_TILES} tiles and a tile would still hold at least
         * {@value GemmFast#MIN_TILE_WORK} multiply-adds. A function of the shape only, never of the
         * thread count.
         */
        static TileGrid of(int m, int n, int k) {
            int rows = Math.min(MAX_TILE_ROWS, roundUp(m, ROWS));
            int columns = Math.min(MAX_TILE_COLUMNS, roundUp(n, COLUMN_ALIGNMENT));
            while (new TileGrid(m, n, rows, columns).count() < MIN_TILES
                    && (long) rows * columns * k >= 2L * MIN_TILE_WORK) {
                if (columns >= 2 * rows && columns > COLUMN_ALIGNMENT) {
                    columns = roundUp(columns / 2, COLUMN_ALIGNMENT);
                } else if (rows > ROWS) {
                    rows = roundUp(rows / 2, ROWS);
                } else {
                    break;
                }
            }
            return new TileGrid(m, n, rows, columns);
        }
    }

    /** {@code C (+)= op(A) op(B)}, the arguments as in {@link GemmKernels#multiply} and already checked. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
            float[] c, int cOffset, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOffset + i * ldc, cOffset + i * ldc + n, 0f);
                }
            }
            return;
        }
        Lines rowsOfA = Lines.of(a, aOffset, lda, !transA);
        Lines columnsOfB = Lines.of(b, bOffset, ldb, transB);
        TileGrid grid = TileGrid.of(m, n, k);
        int columnTiles = grid.columnTiles();
        boolean fewRows = NarrowGemm.suitsFewRows(transB, m);
        boolean fewColumns = !fewRows && NarrowGemm.suitsFewColumns(transA, transB, n);
        Tiles.forEach(grid.count(), t -> {
            int row = (t / columnTiles) * grid.rows();
            int column = (t % columnTiles) * grid.columns();
            int rows = Math.min(grid.rows(), m - row);
            int columns = Math.min(grid.columns(), n - column);
            int cTile = cOffset + row * ldc + column;
            if (fewRows) {
                NarrowGemm.fewRows(transA, rows, columns, k, a, aOffset + (transA ? row : row * lda), lda,
                        b, bOffset + column, ldb, c, cTile, ldc, accumulate);
            } else if (fewColumns) {
                NarrowGemm.fewColumns(rows, columns, k, a, aOffset + row * lda, lda, b, bOffset + column * ldb, ldb,
                        c, cTile, ldc, accumulate, WORKSPACE.get().packedB);
            } else {
                multiplyTile(rowsOfA, columnsOfB, k, c, cTile, ldc, accumulate, row, rows, column, columns);
            }
        });
    }

    /**
     * Computes the {@code rows x columns} block of C at {@code (row, column)}: for each depth block, packs
     * the tile's rows of op(A) and its columns of op(B) once (together 768 KiB at most, within L2), then
     * for each micro-panel of columns runs the micro-kernel down all the rows (the B panel, 32 KiB, stays
     * in L1 meanwhile).
     */
    private static void multiplyTile(Lines rowsOfA, Lines columnsOfB, int k, float[] c, int cTile, int ldc,
            boolean accumulate, int row, int rows, int column, int columns) {
        Workspace workspace = WORKSPACE.get();
        for (int p0 = 0; p0 < k; p0 += DEPTH) {
            int depth = Math.min(DEPTH, k - p0);
            boolean load = accumulate || p0 > 0;
            for (int ip = 0; ip < rows; ip += ROWS) {
                packPanel(rowsOfA, row + ip, Math.min(ROWS, rows - ip), p0, depth, ROWS, workspace.packedA, ip * depth);
            }
            packColumns(columnsOfB, column, columns, p0, depth, workspace.packedB);
            for (int jp = 0; jp < columns; jp += COLUMNS) {
                int panelColumns = Math.min(COLUMNS, columns - jp);
                int bIndex = jp * depth;
                for (int ip = 0; ip < rows; ip += ROWS) {
                    int panelRows = Math.min(ROWS, rows - ip);
                    int cIndex = cTile + ip * ldc + jp;
                    if (panelRows == ROWS && panelColumns == COLUMNS) {
                        microKernel(depth, workspace.packedA, ip * depth, workspace.packedB, bIndex, c, cIndex, ldc,
                                load);
                    } else {
                        edgeKernel(depth, workspace, ip * depth, bIndex, c, cIndex, ldc, load, panelRows,
                                panelColumns);
                    }
                }
            }
        }
    }

    /**
     * Packs columns {@code x0 .. x0+columns-1} of op(B), depths {@code p0 .. p0+depth-1}, into consecutive
     * micro-panels of {@link #COLUMNS} ({@link #packPanel}'s layout; panel {@code j} at {@code j COLUMNS depth}).
     * When B is stored row-major, each of its rows is read once from start to end across all the panels:
     * a panel at a time would read {@code depth} short pieces a leading dimension apart, which for a wide B
     * (4 KiB apart at 1024 columns, 12 KiB for a 1x1 convolution on 56 x 56) defeats the prefetcher.
     */
    private static void packColumns(Lines columnsOfB, int x0, int columns, int p0, int depth, float[] packed) {
        if (columnsOfB.depthStride() == 1) {
            for (int jp = 0; jp < columns; jp += COLUMNS) {
                packPanel(columnsOfB, x0 + jp, Math.min(COLUMNS, columns - jp), p0, depth, COLUMNS, packed, jp * depth);
            }
            return;
        }
        float[] data = columnsOfB.data();
        int ld = columnsOfB.depthStride();
        int from = columnsOfB.offset() + x0 + p0 * ld;
        int full = columns / COLUMNS * COLUMNS;
        int tail = columns - full;
        for (int p = 0; p < depth; p++) {
            int source = from + p * ld;
            for (int jp = 0; jp < full; jp += COLUMNS) {
                int target = jp * depth + p * COLUMNS;
                FloatVector.fromArray(FLOAT, data, source + jp).intoArray(packed, target);
                FloatVector.fromArray(FLOAT, data, source + jp + LANES).intoArray(packed, target + LANES);
            }
            if (tail > 0) {
                int target = full * depth + p * COLUMNS;
                System.arraycopy(data, source + full, packed, target, tail);
                Arrays.fill(packed, target + tail, target + COLUMNS, 0f);
            }
        }
    }

    /**
     * Packs lines {@code x0 .. x0+valid-1} of {@code source}, depths {@code p0 .. p0+depth-1}, into one
     * micro-panel of {@code width} at {@code to}: {@code packed[to + p*width + x] = element(x0 + x, p0 + p)},
     * zero for {@code valid <= x < width}.
     */
    private static void packPanel(Lines source, int x0, int valid, int p0, int depth, int width,
            float[] packed, int to) {
        float[] data = source.data();
        int from = source.offset() + x0 * source.lineStride() + p0 * source.depthStride();
        if (source.depthStride() == 1) {
            PanelTranspose.pack(data, from, source.lineStride(), valid, depth, width, packed, to);
        } else if (valid == COLUMNS && width == COLUMNS) {
            copyVectorRows(data, from, source.depthStride(), depth, packed, to);
        } else if (valid == ROWS && width == ROWS && EIGHT_LANES) {
            copyEightFloatRows(data, from, source.depthStride(), depth, packed, to);
        } else {
            for (int p = 0; p < depth; p++) {
                System.arraycopy(data, from + p * source.depthStride(), packed, to + p * width, valid);
            }
        }
        if (valid < width) {
            for (int p = 0; p < depth; p++) {
                Arrays.fill(packed, to + p * width + valid, to + (p + 1) * width, 0f);
            }
        }
    }

    /** A full B panel whose columns are contiguous: two vector copies per depth. */
    private static void copyVectorRows(float[] data, int from, int depthStride, int depth, float[] packed, int to) {
        for (int p = 0; p < depth; p++) {
            int source = from + p * depthStride;
            int target = to + p * COLUMNS;
            FloatVector.fromArray(FLOAT, data, source).intoArray(packed, target);
            FloatVector.fromArray(FLOAT, data, source + LANES).intoArray(packed, target + LANES);
        }
    }

    /**
     * A full A panel whose rows are contiguous (op(A) transposed): one 8-lane copy per depth, where
     * {@code System.arraycopy} of 8 floats costs a call each.
     */
    private static void copyEightFloatRows(float[] data, int from, int depthStride, int depth, float[] packed,
            int to) {
        for (int p = 0; p < depth; p++) {
            FloatVector.fromArray(EIGHT, data, from + p * depthStride).intoArray(packed, to + p * ROWS);
        }
    }

    /**
     * The micro-kernel on a partial block at the right or bottom edge of C: runs the full kernel on a
     * private {@code ROWS x COLUMNS} tile and copies back only the {@code rows x columns} that exist.
     */
    private static void edgeKernel(int depth, Workspace workspace, int aIndex, int bIndex, float[] c, int cIndex,
            int ldc, boolean load, int rows, int columns) {
        float[] edge = workspace.edge;
        if (load) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, cIndex + r * ldc, edge, r * COLUMNS, columns);
            }
        }
        microKernel(depth, workspace.packedA, aIndex, workspace.packedB, bIndex, edge, 0, COLUMNS, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(edge, r * COLUMNS, c, cIndex + r * ldc, columns);
        }
    }

    /**
     * {@code C[r][x] (+)= sum_p packedA[aIndex + p*ROWS + r] * packedB[bIndex + p*COLUMNS + x]} for an
     * {@code ROWS x COLUMNS} block of C at {@code cIndex}: one accumulator vector per row and half,
     * started from C when {@code load} is set, else from 0, then one FMA per depth step.
     */
    private static void microKernel(int depth, float[] packedA, int aIndex, float[] packedB, int bIndex,
            float[] c, int cIndex, int ldc, boolean load) {
        int c0 = cIndex;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        FloatVector s00 = start(c, c0, load);
        FloatVector s01 = start(c, c0 + LANES, load);
        FloatVector s10 = start(c, c1, load);
        FloatVector s11 = start(c, c1 + LANES, load);
        FloatVector s20 = start(c, c2, load);
        FloatVector s21 = start(c, c2 + LANES, load);
        FloatVector s30 = start(c, c3, load);
        FloatVector s31 = start(c, c3 + LANES, load);
        FloatVector s40 = start(c, c4, load);
        FloatVector s41 = start(c, c4 + LANES, load);
        FloatVector s50 = start(c, c5, load);
        FloatVector s51 = start(c, c5 + LANES, load);
        FloatVector s60 = start(c, c6, load);
        FloatVector s61 = start(c, c6 + LANES, load);
        FloatVector s70 = start(c, c7, load);
        FloatVector s71 = start(c, c7 + LANES, load);
        for (int p = 0; p < depth; p++) {
            int ai = aIndex + p * ROWS;
            int bi = bIndex + p * COLUMNS;
            FloatVector b0 = FloatVector.fromArray(FLOAT, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(FLOAT, packedB, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(FLOAT, packedA[ai]);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            FloatVector a1 = FloatVector.broadcast(FLOAT, packedA[ai + 1]);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            FloatVector a2 = FloatVector.broadcast(FLOAT, packedA[ai + 2]);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            FloatVector a3 = FloatVector.broadcast(FLOAT, packedA[ai + 3]);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            FloatVector a4 = FloatVector.broadcast(FLOAT, packedA[ai + 4]);
            s40 = a4.fma(b0, s40);
            s41 = a4.fma(b1, s41);
            FloatVector a5 = FloatVector.broadcast(FLOAT, packedA[ai + 5]);
            s50 = a5.fma(b0, s50);
            s51 = a5.fma(b1, s51);
            FloatVector a6 = FloatVector.broadcast(FLOAT, packedA[ai + 6]);
            s60 = a6.fma(b0, s60);
            s61 = a6.fma(b1, s61);
            FloatVector a7 = FloatVector.broadcast(FLOAT, packedA[ai + 7]);
            s70 = a7.fma(b0, s70);
            s71 = a7.fma(b1, s71);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + LANES);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + LANES);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + LANES);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + LANES);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + LANES);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + LANES);
        s60.intoArray(c, c6);
        s61.intoArray(c, c6 + LANES);
        s70.intoArray(c, c7);
        s71.intoArray(c, c7 + LANES);
    }

    private static FloatVector start(float[] c, int index, boolean load) {
        return load ? FloatVector.fromArray(FLOAT, c, index) : FloatVector.zero(FLOAT);
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
