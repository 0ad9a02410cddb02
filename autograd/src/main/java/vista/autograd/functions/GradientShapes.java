package vista.autograd.functions;

import java.util.ArrayList;
import java.util.List;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/** Shape bookkeeping shared by the backward rules of broadcasting and reducing operations. */
public final class GradientShapes {
    private GradientShapes() {
    }

    /**
     * Undoes broadcasting: sums {@code grad} over the axes along which an input of {@code shape} was
     * broadcast (the extra leading axes, and the axes where {@code shape} has size 1 but
     * {@code grad} does not), so the result has {@code shape}. Returns {@code grad} itself when the
     * shapes already agree.
     */
    public static Tensor sumToShape(Tensor grad, Shape shape) {
        if (grad.shape().equals(shape)) {
            return grad;
        }
        int lead = grad.rank() - shape.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: a gradient of shape " + grad.shape()
                    + " cannot be reduced to the larger rank of " + shape);
        }
        List<Integer> axes = new ArrayList<>();
        for (int a = 0; a < grad.rank(); a++) {
            if (a < lead) {
                axes.add(a);
            } else if (shape.dim(a - lead) != grad.dim(a)) {
                if (shape.dim(a - lead) != 1) {
                    throw new IllegalArgumentException("sumToShape: a gradient of shape " + grad.shape()
                            + " does not broadcast from " + shape);
                }
                axes.add(a);
            }
        }
        Tensor summed = axes.isEmpty() ? grad : grad.sum(axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return summed.reshape(shape.dims());
    }

    /** {@code input} with each of {@code axes} (which may be negative) set to size 1: a keepdim reduction's shape. */
    public static Shape keptShape(Shape input, int[] axes, String op) {
        int[] dims = input.dims();
        for (int axis : axes) {
            dims[input.axis(axis, op)] = 1;
        }
        return Shape.of(dims);
    }

    /** How many input elements a reduction from {@code input} to {@code kept} combines into each result. */
    public static int reducedCount(Shape input, Shape kept) {
        int count = 1;
        for (int a = 0; a < input.rank(); a++) {
            if (kept.dim(a) == 1) {
                count *= input.dim(a);
            }
        }
        return count;
    }
}
