import java.util.Arrays;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Lesson 1 (docs/learn/01-tensors.md): a tensor is a view, storage + shape + strides + offset.
 * Element (i_0, ..., i_{r-1}) lives at {@code offset + sum_k i_k stride_k} of the storage; transpose, slice
 * and expand only change the strides and the offset, never the numbers. Broadcasting lines shapes up from
 * the right, and a size-1 axis repeats by taking stride 0.
 *
 * <p>Run: {@code ./vista learn 1}. It has no data, so {@code --quick} changes nothing.
 */
public class Lesson1 {
    public static void main(String[] args) {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        System.out.println("x = arange(12).reshape(3, 4)");
        printMatrix(x);
        describe("x", x);

        Tensor t = x.transpose(0, 1);
        describe("x.transpose(0, 1)", t);
        check(t.storage() == x.storage(), "the transpose shares x's storage");
        t.set(100, 2, 1);
        System.out.printf("after t.set(100, 2, 1): x[1, 2] = %.0f (the same memory: t[2, 1] is x[1, 2])%n",
                x.get(1, 2));
        check(x.get(1, 2) == 100, "a write through the view shows in x");
        t.set(6, 2, 1);

        Tensor row = x.slice(0, 1, 2);
        describe("x.slice(0, 1, 2) (row 1)", row);
        check(row.offset() == 4, "row 1 starts at storage index 1 * stride 4 = 4");
        int[] index = {1, 3};
        int flat = x.offset() + index[0] * x.stride(0) + index[1] * x.stride(1);
        System.out.printf("x[1, 3] sits at offset + 1*%d + 3*%d = %d of the storage and holds %.0f%n",
                x.stride(0), x.stride(1), flat, x.get(index));
        check(x.get(index) == flat, "arange stores value v at index v");

        Tensor column = Tensor.arange(3).reshape(3, 1);
        Tensor line = Tensor.arange(4).mul(10).reshape(1, 4);
        Shape broadcast = Shape.broadcast("add", column.shape(), line.shape());
        System.out.println("broadcast " + column.shape() + " with " + line.shape() + " -> " + broadcast);
        Tensor sum = column.add(line);
        printMatrix(sum);
        describe("column.expand(3, 4)", column.expand(3, 4));
        check(column.expand(3, 4).stride(1) == 0, "a broadcast axis has stride 0: no copy");
        check(sum.get(2, 3) == 2 + 30, "sum[i, j] = column[i] + line[j]");
        try {
            Shape.broadcast("add", Shape.of(3, 2), Shape.of(3));
            throw new IllegalStateException("[3, 2] and [3] must not broadcast");
        } catch (IllegalArgumentException expected) {
            System.out.println("[3, 2] + [3] is refused: " + expected.getMessage());
        }
        System.out.println("lesson 1 ok: views share storage; strides " + Arrays.toString(x.strides())
                + " become " + Arrays.toString(t.strides()) + " on transpose and 0 on a broadcast axis");
    }

    static void describe(String name, Tensor t) {
        System.out.printf("%-28s shape %-8s strides %-8s offset %d contiguous %b%n", name, t.shape(),
                Arrays.toString(t.strides()), t.offset(), t.isContiguous());
    }

    static void printMatrix(Tensor m) {
        for (int i = 0; i < m.dim(0); i++) {
            StringBuilder line = new StringBuilder("    ");
            for (int j = 0; j < m.dim(1); j++) {
                line.append(String.format("%5.0f", m.get(i, j)));
            }
            System.out.println(line);
        }
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 1: expected that " + claim);
        }
    }
}
