package vista.tensor.kernels;

import java.util.Arrays;
import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.runtime.Tiles;

/**
 * Kernels that move elements without arithmetic: copying a (strided) view into row-major order,
 * converting between element types, concatenation, stacking and constant padding.
 *
 * <p>These are exact (no rounding beyond a float64 -> float32 conversion), so one implementation serves
 * as both reference and fast path; the only speed tricks are copying whole rows with
 * {@link System#arraycopy} when they are dense, after merging the axes that allow it ({@link RowWalk}),
 * and copying tiles of rows in parallel.
 */
public final class Movement {
    /** Elements per tile of a parallel row copy: 64K floats, 256 KiB read and 256 KiB written. */
    static final int COPY_GRAIN = 1 << 16;

    private Movement() {
    }

    /**
     * Storage index of every element of {@code t}, in row-major order of its shape:
     * {@code p = offset + sum_a i_a * stride_a}.
     */
    public static int[] storageIndices(Tensor t) {
        int n = t.numel();
        int rank = t.rank();
        int[] dims = t.dims();
        int[] strides = t.strides();
        int[] out = new int[n];
        int[] index = new int[rank];
        int p = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = p;
            for (int a = rank - 1; a >= 0; a--) {
                index[a]++;
                p += strides[a];
                if (index[a] < dims[a]) {
                    break;
                }
                p -= strides[a] * dims[a];
                index[a] = 0;
            }
        }
        return out;
    }

    /** A new contiguous tensor of {@code dtype} holding the elements of {@code source}. */
    public static Tensor copy(Tensor source, DType dtype) {
        Tensor out = Tensor.unfilled(dtype, source.shape());
        copyInto(source, out);
        return out;
    }

    /** Copies the elements of {@code source} into {@code target} (same shape; any layouts and dtypes). */
    public static void copyInto(Tensor source, Tensor target) {
        if (!source.shape().equals(target.shape())) {
            throw new IllegalArgumentException("copy: source shape " + source.shape() + " differs from target "
                    + target.shape());
        }
        if (source.numel() == 0) {
            return;
        }
        if (source.storage() instanceof Storage.Floats from && target.storage() instanceof Storage.Floats to
                && (target.rank() == 0 || target.stride(target.rank() - 1) == 1)) {
            copyFloatRows(source, from.array(), target, to.array());
            return;
        }
        int[] src = storageIndices(source);
        int[] dst = storageIndices(target);
        Storage s = source.storage();
        Storage d = target.storage();
        for (int i = 0; i < src.length; i++) {
            d.set(dst[i], s.get(src[i]));
        }
    }

    /**
     * Copies a float32 view row by row into a float32 target whose rows are dense (a contiguous tensor, or
     * a slice of one along an outer axis, as {@link #concat} writes). The axes are first merged wherever
     * both tensors step over them as over one ({@link RowWalk}), so a slice of a contiguous tensor copies in
     * runs as long as the slice allows (one per sample for a channel slice of {@code (N, C, H, W)}), and
     * the rows are cut into tiles of about {@value #COPY_GRAIN} elements that copy in parallel. A copy
     * moves values only, so the tiles change nothing but the time.
     */
    private static void copyFloatRows(Tensor source, float[] from, Tensor target, float[] to) {
        RowWalk walk = RowWalk.of(source, target);
        int rowLength = walk.rowLength();
        int step = walk.sourceStep();
        int rowsPerTile = Math.max(1, COPY_GRAIN / rowLength);
        Tiles.forEach(Tiles.count(walk.rows(), rowsPerTile), t -> {
            long first = (long) t * rowsPerTile;
            int rows = (int) Math.min(rowsPerTile, walk.rows() - first);
            RowWalk.Cursor at = walk.cursor(first);
            for (int r = 0; r < rows; r++, at.next()) {
                int p = at.source();
                int q = at.target();
                if (step == 1) {
                    System.arraycopy(from, p, to, q, rowLength);
                } else {
                    for (int j = 0; j < rowLength; j++, p += step) {
                        to[q + j] = from[p];
                    }
                }
            }
        });
    }

    /** Joins tensors along {@code axis}; all other dimensions and the dtypes must agree. */
    public static Tensor concat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: expected at least one tensor");
        }
        Tensor first = tensors[0];
        int a = first.shape().axis(axis, "concat");
        int total = 0;
        for (Tensor t : tensors) {
            if (t.rank() != first.rank() || t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: cannot join " + first.dtype() + " " + first.shape()
                        + " with " + t.dtype() + " " + t.shape());
            }
            for (int i = 0; i < first.rank(); i++) {
                if (i != a && t.dim(i) != first.dim(i)) {
                    throw new IllegalArgumentException("concat along axis " + a + ": shapes " + first.shape()
                            + " and " + t.shape() + " differ on axis " + i);
                }
            }
            total += t.dim(a);
        }
        int[] dims = first.dims();
        dims[a] = total;
        Tensor out = Tensor.unfilled(first.dtype(), Shape.of(dims));
        int at = 0;
        for (Tensor t : tensors) {
            copyInto(t, out.slice(a, at, at + t.dim(a)));
            at += t.dim(a);
        }
        return out;
    }

    /** Stacks equal-shaped tensors along a new axis {@code axis}. */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: expected at least one tensor");
        }
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!tensors[i].shape().equals(tensors[0].shape())) {
                throw new IllegalArgumentException("stack: shapes " + tensors[0].shape() + " and "
                        + tensors[i].shape() + " differ; stack needs equal shapes");
            }
            expanded[i] = tensors[i].unsqueeze(axis);
        }
        return concat(axis < 0 ? axis + tensors[0].rank() + 1 : axis, expanded);
    }

    /** Constant padding: axis {@code a} grows by {@code before[a]} in front and {@code after[a]} behind. */
    public static Tensor pad(Tensor t, int[] before, int[] after, double value) {
        if (before.length != t.rank() || after.length != t.rank()) {
            throw new IllegalArgumentException("pad: expected " + t.rank() + " amounts before and after for shape "
                    + t.shape() + ", got " + Arrays.toString(before) + " and " + Arrays.toString(after));
        }
        int[] dims = t.dims();
        Tensor inner = null;
        for (int a = 0; a < dims.length; a++) {
            if (before[a] < 0 || after[a] < 0) {
                throw new IllegalArgumentException("pad: amounts must be >= 0, got " + Arrays.toString(before)
                        + " and " + Arrays.toString(after));
            }
            dims[a] += before[a] + after[a];
        }
        Tensor out = Tensor.full(t.dtype(), value, Shape.of(dims));
        inner = out;
        for (int a = 0; a < dims.length; a++) {
            inner = inner.slice(a, before[a], before[a] + t.dim(a));
        }
        copyInto(t, inner);
        return out;
    }
}
