package vista.tensor.kernels;

import static vista.tensor.kernels.OpCatalogue.CONV2D;
import static vista.tensor.kernels.OpCatalogue.CONV2D_EPILOGUE;

import java.util.List;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.OpEntry.Agreement;

/** The {@link OpCatalogue}'s entries for convolution. */
final class ConvolutionEntries {
    private ConvolutionEntries() {
    }

    /**
     * Tolerance of the float32 fast convolution against the double reference, relative to the sum of the
     * absolute values of an element's terms: a float chain of n terms errs by at most about n 2^-24 of
     * that sum, and by about sqrt(n) 2^-24 in practice; 2^-14 leaves room for the longest chains here and
     * still catches one wrong term (whose size is about 1/n of the sum).
     */
    static final double CONVOLUTION_TOLERANCE = 0x1p-14;

    /** One convolution: input (N, C_in, H, W), geometry, and whether it has a bias. */
    record Conv(ConvGeometry geometry, int batch, int height, int width, boolean bias) {
        @Override
        public String toString() {
            return geometry + " on [" + batch + ", " + geometry.inChannels() + ", " + height + ", " + width + "]"
                    + (bias ? "" : " without bias");
        }
    }

    /** Inputs x, weight, bias (or null) and an output gradient. */
    static OpEntry<Conv> conv2d() {
        OpEntry<Conv> entry = new OpEntry<Conv>(CONV2D, "forward", "input gradient", "weight gradient", "bias gradient")
                .inputs((c, rng) -> {
                    ConvGeometry g = c.geometry();
                    Tensor x = Tensor.randn(rng, c.batch(), g.inChannels(), c.height(), c.width());
                    Tensor w = Tensor.randn(rng, g.weightShape().dims());
                    Tensor b = c.bias() ? Tensor.randn(rng, g.outChannels()) : null;
                    return new Tensor[] {x, w, b, Tensor.randn(rng, g.outputShape(x.shape()).dims())};
                })
                .reference((c, x) -> new Tensor[] {ConvolutionReference.forward(x[0], x[1], x[2], c.geometry())},
                        (c, x, y) -> new Tensor[] {
                            ConvolutionReference.backwardInput(x[3], x[1], x[0].shape(), c.geometry()),
                            ConvolutionReference.backwardWeight(x[3], x[0], c.geometry()),
                            ConvolutionReference.backwardBias(x[3])})
                .fast((c, x) -> new Tensor[] {ConvolutionFast.forward(x[0], x[1], x[2], c.geometry())},
                        (c, x, y) -> new Tensor[] {
                            ConvolutionFast.backwardInput(x[3], x[1], x[0].shape(), c.geometry()),
                            ConvolutionFast.backwardWeight(x[3], x[0], c.geometry()),
                            ConvolutionKernels.backwardBias(x[3])})
                .agreement(Agreement.relativeToMagnitude(CONVOLUTION_TOLERANCE));
        conv(entry, "batch 1, 3x3 s1 p1", ConvGeometry.convolution(3, 4, 3).padding(1), 1, 5, 6, true);
        conv(entry, "odd sizes", ConvGeometry.convolution(5, 7, 3), 3, 7, 9, true);
        conv(entry, "1x1", ConvGeometry.convolution(6, 5, 1), 2, 5, 7, true);
        conv(entry, "1x1 stride 2", ConvGeometry.convolution(6, 10, 1).stride(2), 2, 7, 9, false);
        conv(entry, "3x3 s2 p1", ConvGeometry.convolution(4, 6, 3).stride(2).padding(1), 2, 9, 11, true);
        conv(entry, "7x7 s2 p3 (a stem)", ConvGeometry.convolution(3, 8, 7).stride(2).padding(3), 1, 17, 15, false);
        conv(entry, "5x5 p0", ConvGeometry.convolution(3, 5, 5), 2, 9, 8, true);
        conv(entry, "groups 4", ConvGeometry.convolution(8, 12, 3).padding(1).groups(4), 2, 6, 7, true);
        conv(entry, "depthwise", ConvGeometry.convolution(6, 6, 3).padding(1).groups(6), 2, 7, 6, false);
        conv(entry, "dilation 2", ConvGeometry.convolution(3, 4, 3).padding(2).dilation(2), 2, 11, 9, true);
        conv(entry, "rectangular image 7x10", ConvGeometry.convolution(4, 3, 3).padding(1), 2, 7, 10, true);
        conv(entry, "rectangular kernel, stride, padding, dilation",
                ConvGeometry.convolution(4, 6, 3, 2).stride(2, 1).padding(1, 2).dilation(1, 3).groups(2), 2, 10, 13,
                true);
        conv(entry, "width smaller than a vector", ConvGeometry.convolution(3, 5, 3).padding(1), 2, 6, 3, true);
        conv(entry, "padding larger than the kernel", ConvGeometry.convolution(2, 3, 3).padding(4).stride(3), 1, 4, 5,
                true);
        conv(entry, "kernel as large as the padded image", ConvGeometry.convolution(2, 3, 5, 6).padding(1), 2, 3, 4,
                true);
        conv(entry, "several position blocks and channel tiles", ConvGeometry.convolution(20, 9, 3).padding(1), 2, 37,
                29, true);
        conv(entry, "16 channels, 3x3 s2 p1 (channels-last weight gradient)",
                ConvGeometry.convolution(16, 8, 3).stride(2).padding(1), 2, 9, 11, false);
        conv(entry, "2 groups of 16 channels, 3x2 kernel, dilation (2, 3)",
                ConvGeometry.convolution(32, 6, 3, 2).padding(2, 1).dilation(2, 3).groups(2), 1, 10, 12, true);
        conv(entry, "1x1 from 48 channels", ConvGeometry.convolution(48, 7, 1), 2, 5, 9, true);
        // Several tiles everywhere: position blocks, input-channel tiles, weight-gradient runs, GEMM blocks
        // inside the tiles and, for 256 output channels, GEMMs large enough to fork inside a tile.
        return entry.threadProblem("3x3 with many tiles",
                        new Conv(ConvGeometry.convolution(40, 72, 3).padding(1).build(), 3, 30, 33, true))
                .threadProblem("1x1 with many tiles", new Conv(ConvGeometry.convolution(40, 24, 1).build(), 3, 30, 33,
                        false))
                .threadProblem("256 output channels: GEMMs that fork",
                        new Conv(ConvGeometry.convolution(64, 256, 3).padding(1).build(), 2, 20, 20, false))
                .threadProblem("one image on an 8 x 8 map: output channels split among tiles",
                        new Conv(ConvGeometry.convolution(128, 128, 3).padding(1).build(), 1, 8, 8, true))
                .widthProblem("3x3 p1 on rows of 23",
                        new Conv(ConvGeometry.convolution(16, 10, 3).padding(1).build(), 2, 19, 23, true))
                .widthProblem("groups 4, stride 2, dilation 2", new Conv(ConvGeometry.convolution(16, 4, 3).padding(1)
                        .stride(2).dilation(2).groups(4).build(), 2, 19, 23, false));
    }

    /** A convolution with an inference epilogue: the residual and the ReLU, each present or not. */
    record Epilogue(Conv conv, boolean residual, boolean relu) {
        @Override
        public String toString() {
            return conv + (residual ? " + residual" : "") + (relu ? ", relu" : "");
        }
    }

    /**
     * {@code relu(conv(x, w) + b + r)}: inputs x, weight, bias (or null), residual (or null); every
     * combination of bias, residual and ReLU on a 1x1, a 3x3 and strided shapes.
     */
    static OpEntry<Epilogue> conv2dEpilogue() {
        OpEntry<Epilogue> entry = new OpEntry<Epilogue>(CONV2D_EPILOGUE, "forward")
                .inputs((e, rng) -> {
                    ConvGeometry g = e.conv().geometry();
                    Tensor x = Tensor.randn(rng, e.conv().batch(), g.inChannels(), e.conv().height(), e.conv().width());
                    Tensor w = Tensor.randn(rng, g.weightShape().dims());
                    Tensor b = e.conv().bias() ? Tensor.randn(rng, g.outChannels()) : null;
                    Tensor r = e.residual() ? Tensor.randn(rng, g.outputShape(x.shape()).dims()) : null;
                    return new Tensor[] {x, w, b, r};
                })
                .reference((e, x) -> new Tensor[] {ConvolutionReference.forward(x[0], x[1], e.conv().geometry(),
                        new ConvolutionEpilogue(x[2], x[3], e.relu()))})
                .fast((e, x) -> new Tensor[] {ConvolutionFast.forward(x[0], x[1], e.conv().geometry(),
                        new ConvolutionEpilogue(x[2], x[3], e.relu()))})
                .agreement(Agreement.relativeToMagnitude(CONVOLUTION_TOLERANCE));
        List<Conv> shapes = List.of(
                new Conv(ConvGeometry.convolution(6, 5, 1).build(), 2, 5, 7, false),
                new Conv(ConvGeometry.convolution(5, 7, 3).padding(1).build(), 2, 7, 9, false),
                new Conv(ConvGeometry.convolution(6, 10, 1).stride(2).build(), 2, 7, 9, false),
                new Conv(ConvGeometry.convolution(4, 6, 3).stride(2).padding(1).build(), 2, 9, 11, false),
                new Conv(ConvGeometry.convolution(3, 8, 7).stride(2).padding(3).build(), 1, 17, 15, false));
        for (Conv shape : shapes) {
            for (boolean bias : new boolean[] {false, true}) {
                for (boolean residual : new boolean[] {false, true}) {
                    for (boolean relu : new boolean[] {false, true}) {
                        Conv c = new Conv(shape.geometry(), shape.batch(), shape.height(), shape.width(), bias);
                        entry.problem(new Epilogue(c, residual, relu).toString(), new Epilogue(c, residual, relu));
                    }
                }
            }
        }
        return entry.threadProblem("3x3 with many tiles, bias, residual, relu", new Epilogue(
                        new Conv(ConvGeometry.convolution(40, 72, 3).padding(1).build(), 3, 30, 33, true), true, true))
                .threadProblem("1x1 with many tiles, residual, relu", new Epilogue(
                        new Conv(ConvGeometry.convolution(40, 24, 1).build(), 3, 30, 33, false), true, true))
                .threadProblem("256 output channels, GEMMs that fork, bias, relu", new Epilogue(
                        new Conv(ConvGeometry.convolution(64, 256, 3).padding(1).build(), 2, 20, 20, true), false, true))
                .widthProblem("3x3 p1 on rows of 23, bias, residual, relu", new Epilogue(
                        new Conv(ConvGeometry.convolution(16, 10, 3).padding(1).build(), 2, 19, 23, true), true, true))
                .widthProblem("1x1 stride 2 on rows of 23, residual, relu", new Epilogue(
                        new Conv(ConvGeometry.convolution(16, 10, 1).stride(2).build(), 2, 19, 23, false), true, true));
    }

    private static void conv(OpEntry<Conv> entry, String label, ConvGeometry.Builder geometry, int batch, int height,
            int width, boolean bias) {
        entry.labelledProblem(label, new Conv(geometry.build(), batch, height, width, bias));
    }
}
