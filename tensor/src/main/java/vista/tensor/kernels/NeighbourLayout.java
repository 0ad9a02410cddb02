package vista.tensor.kernels;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.Footprint;

/**
 * Index arithmetic shared by the scalar references of SAN's local operators: flat offsets into an
 * input {@code (N, C, H, W)}, an output {@code (N, C, H_out, W_out)} and a per-neighbour tensor
 * {@code (N, C', K, H_out W_out)}, and the input pixel each neighbour reads under a {@link Footprint}.
 */
final class NeighbourLayout {
    final int batch;
    final int channels;
    final int height;
    final int width;
    final int outHeight;
    final int outWidth;
    final int k;
    /** The channels of the per-neighbour tensor (Cw for aggregation weights, C otherwise). */
    final int shared;
    private final Footprint footprint;

    NeighbourLayout(Shape input, int neighbourChannels, Footprint footprint) {
        this.footprint = footprint;
        batch = input.dim(0);
        channels = input.dim(1);
        height = input.dim(2);
        width = input.dim(3);
        outHeight = footprint.outputSize(height);
        outWidth = footprint.outputSize(width);
        k = footprint.size();
        shared = neighbourChannels;
    }

    /** The flat index of the input pixel that neighbour (a, b) of output (i, j) reads, or -1 for a zero pad. */
    int source(int n, int c, int i, int j, int a, int b) {
        int y = footprint.source(i, a, height);
        int z = footprint.source(j, b, width);
        return y < 0 || z < 0 ? -1 : input(n, c, y, z);
    }

    /** The flat index of the centre of output (i, j): input pixel (i s, j s). */
    int centre(int n, int c, int i, int j) {
        return input(n, c, i * footprint.stride(), j * footprint.stride());
    }

    int input(int n, int c, int y, int z) {
        return ((n * channels + c) * height + y) * width + z;
    }

    int output(int n, int c, int i, int j) {
        return ((n * channels + c) * outHeight + i) * outWidth + j;
    }

    /** The flat index of neighbour (a, b) of output (i, j) in a {@code (N, shared, K, L)} tensor. */
    int neighbour(int n, int c, int a, int b, int i, int j) {
        return ((n * shared + c) * k * k + a * k + b) * outHeight * outWidth + i * outWidth + j;
    }

    int outputSize() {
        return batch * channels * outHeight * outWidth;
    }

    int neighbourSize() {
        return batch * shared * k * k * outHeight * outWidth;
    }

    /** The values as a tensor of {@code shape} and {@code dtype} (rounded once if float32). */
    static Tensor tensor(double[] values, DType dtype, Shape shape) {
        return Tensor.fromArray(values, shape.dims()).to(dtype);
    }
}
