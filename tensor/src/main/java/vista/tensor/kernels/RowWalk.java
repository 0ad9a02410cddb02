package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.Tensor;

/**
 * The rows of a copy from one view to another of the same shape, with as few axes as the two layouts
 * allow. A row is a run along the innermost axis; the target's rows are dense (stride 1), the source's
 * step along a row is {@link #sourceStep}.
 *
 * <p><b>Merging.</b> Axes of length 1 are dropped, and two neighbouring axes {@code a, a+1} become one of
 * length {@code d_a d_(a+1)} whenever, in both views, {@code stride_a = stride_(a+1) d_(a+1)}: stepping
 * through the pair is then stepping through one axis. Merging never changes which element goes where, only
 * how long the runs are: a channel slice {@code [:, c0:c1]} of a contiguous {@code (N, C, H, W)} copies in
 * N runs of {@code (c1 - c0) H W} instead of {@code N (c1 - c0) H} runs of W.
 *
 * <p>Rows are numbered in row-major order; {@link #cursor} starts at any row (so that tiles can start
 * anywhere) and steps from row to row like an odometer, without the index arrays of
 * {@link Movement#storageIndices}.
 */
final class RowWalk {
    /** Outer axes (all but the row's), outermost first. */
    private final int[] dims;
    private final int[] sourceStrides;
    private final int[] targetStrides;
    private final int sourceOffset;
    private final int targetOffset;
    private final int rowLength;
    private final int sourceStep;
    private final long rows;

    private RowWalk(int[] dims, int[] sourceStrides, int[] targetStrides, int sourceOffset, int targetOffset,
            int rowLength, int sourceStep) {
        this.dims = dims;
        this.sourceStrides = sourceStrides;
        this.targetStrides = targetStrides;
        this.sourceOffset = sourceOffset;
        this.targetOffset = targetOffset;
        this.rowLength = rowLength;
        this.sourceStep = sourceStep;
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        this.rows = count;
    }

    /**
     * The walk from {@code source} to {@code target}: same shape, at least one element, and the target's
     * innermost stride 1 (or rank 0).
     */
    static RowWalk of(Tensor source, Tensor target) {
        int rank = source.rank();
        int[] dims = new int[rank + 1];       // room for a row of one element
        int[] ss = new int[rank + 1];
        int[] ts = new int[rank + 1];
        int kept = 0;
        for (int a = 0; a < rank; a++) {
            int d = source.dim(a);
            if (d == 1) {
                continue;
            }
            int s = source.stride(a);
            int t = target.stride(a);
            if (kept > 0 && ss[kept - 1] == s * d && ts[kept - 1] == t * d) {
                dims[kept - 1] *= d;
                ss[kept - 1] = s;
                ts[kept - 1] = t;
            } else {
                dims[kept] = d;
                ss[kept] = s;
                ts[kept] = t;
                kept++;
            }
        }
        if (kept == 0 || ts[kept - 1] != 1) {       // a single element, or a row along a target axis of length 1
            dims[kept] = 1;
            ss[kept] = 1;
            ts[kept] = 1;
            kept++;
        }
        int outer = kept - 1;
        return new RowWalk(Arrays.copyOf(dims, outer), Arrays.copyOf(ss, outer),
                Arrays.copyOf(ts, outer), source.offset(), target.offset(), dims[outer], ss[outer]);
    }

    /** Elements per row. */
    int rowLength() {
        return rowLength;
    }

    /** The source's step between neighbours in a row. */
    int sourceStep() {
        return sourceStep;
    }

    /** Number of rows. */
    long rows() {
        return rows;
    }

    /** A cursor on row {@code row} (row-major numbering). */
    Cursor cursor(long row) {
        return new Cursor(row);
    }

    /** Where one row starts in the source and in the target; {@link #next} moves to the following row. */
    final class Cursor {
        private final int[] index = new int[dims.length];
        private int source = sourceOffset;
        private int target = targetOffset;

        private Cursor(long row) {
            long rest = row;
            for (int a = dims.length - 1; a >= 0; a--) {
                index[a] = (int) (rest % dims[a]);
                rest /= dims[a];
                source += index[a] * sourceStrides[a];
                target += index[a] * targetStrides[a];
            }
        }

        /** The storage index of the row's first element in the source. */
        int source() {
            return source;
        }

        /** The storage index of the row's first element in the target. */
        int target() {
            return target;
        }

        /** Steps to the next row in row-major order (past the last row it wraps around to the first). */
        void next() {
            for (int a = dims.length - 1; a >= 0; a--) {
                source += sourceStrides[a];
                target += targetStrides[a];
                if (++index[a] < dims[a]) {
                    return;
                }
                source -= sourceStrides[a] * dims[a];
                target -= targetStrides[a] * dims[a];
                index[a] = 0;
            }
        }
    }
}
