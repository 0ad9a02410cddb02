package vista.nn.sasa;

import vista.autograd.Autograd;
import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.LocalSelfAttention;
import vista.nn.Conv2d;
import vista.nn.Init;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * The stand-alone self-attention layer of SASA (Ramachandran et al. 2019, "Stand-Alone Self-Attention in
 * Vision Models"): a drop-in replacement for a {@code k x k} convolution in which every pixel attends to
 * its {@code k x k} neighbourhood, with learned relative positions instead of a learned kernel.
 *
 * <p><b>The formula.</b> For x {@code (N, C_in, H, W)}, three bias-free 1x1 convolutions project every
 * pixel to a query, a key and a value of {@code C_out} channels:
 * <pre>
 *   q = W_Q x,   k = W_K x,   v = W_V x                          (each (N, C_out, H, W))
 * </pre>
 * The channels split into {@code heads} groups of {@code dh = C_out / heads}; each head attends on its
 * own. For pixel (i, j), head n and neighbour (a, b) of its window, at offset (a - r, b - r) with
 * {@code r = k / 2}:
 * <pre>
 *   logit(a, b) = q_ij · k_(i+a-r, j+b-r)  +  q_ij^row · r_row[a]  +  q_ij^column · r_col[b]
 *   p(a, b)     = softmax over the window of logit(a, b)
 *   y_ij        = sum over the window of p(a, b) v_(i+a-r, j+b-r)
 * </pre>
 * where {@code q^row} is the first half of the head's query channels and {@code q^column} the second
 * half: the relative embedding of a neighbour is its row offset's embedding {@code r_row[a]}
 * concatenated with its column offset's {@code r_col[b]} (the paper's {@code r_(a-i, b-j)}), each
 * {@code (k, dh / 2)} and shared by all heads. There is no {@code 1/sqrt(dh)} factor, as in the paper,
 * unless {@link Builder#optScaledLogits} asks for one. At stride 2 the stride-1 result is
 * average-pooled 2x2 with stride 2, as the paper does (an odd last row or column is dropped, so the
 * output is {@code (H div 2, W div 2)}).
 *
 * <p><b>The border.</b> {@link Border#MASK} (the default) leaves neighbours outside the image out of the
 * softmax; {@link Border#ZERO} gives them zero keys and values (what zero-padding x would do), so they
 * keep a share of the softmax through their positional logit alone and add nothing to the output.
 *
 * <p><b>Parameters</b>, named and ordered as the PyTorch peer's {@code SASAConv}: {@code rel_row},
 * {@code rel_col} {@code (k, dh / 2)}, then {@code q_proj.weight}, {@code k_proj.weight},
 * {@code v_proj.weight} {@code (C_out, C_in, 1, 1)}. <b>Initialisation</b> as the peer's SASA-ResNet:
 * the embeddings {@code N(0, 1 / dh)} ({@code N(0, 1)} with {@link Builder#optUnitEmbeddings}), the
 * projections Kaiming normal with fan_out as every {@link Conv2d}; drawn from the {@link Rng} in that order.
 *
 * <pre>{@code
 * LocalSelfAttention2d attention = LocalSelfAttention2d.builder().setChannels(64, 64).optHeads(8).optKernel(7)
 *         .optStride(2).build(rng);
 * }</pre>
 *
 * <p>The attention itself is the {@link LocalSelfAttention} function (its kernel states the backward
 * formulas); {@link #sasa} is the whole layer as a function of its operands.
 *
 * <p><b>Looking at the weights.</b> {@link #captureWeights()} opens a {@link Capture}: while it is open,
 * each forward pass of this layer also keeps its input and its attention weights p, so a model can be
 * run as usual and the weights of one layer read afterwards (see {@link Capture}). A layer without an
 * open capture does no extra work.
 */
public final class LocalSelfAttention2d extends Module implements Complexity {
    /** The 2x2, stride-2 average pool that follows the attention at stride 2. */
    private static final ConvGeometry HALVING = ConvGeometry.pooling("AvgPool2d", 2).stride(2).build();

    private final int inChannels;
    private final int outChannels;
    private final LocalAttentionWindow window;
    private final int stride;
    private final Variable relRow;
    private final Variable relColumn;
    private final Conv2d queryProjection;
    private final Conv2d keyProjection;
    private final Conv2d valueProjection;
    /** The open capture, or null: set and cleared by {@link Capture} only. */
    private Capture capture;

    private LocalSelfAttention2d(int inChannels, int outChannels, LocalAttentionWindow window, int stride,
            boolean unitEmbeddings, Rng rng) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.stride = stride;
        int headChannels = outChannels / window.heads();
        double std = unitEmbeddings ? 1 : 1 / Math.sqrt(headChannels);
        relRow = registerParameter("rel_row", Init.normal(Tensor.zeros(window.kernelSize(), headChannels / 2), 0, std, rng));
        relColumn = registerParameter("rel_col", Init.normal(Tensor.zeros(window.kernelSize(), headChannels / 2), 0, std,
                rng));
        queryProjection = registerModule("q_proj", projection(rng));
        keyProjection = registerModule("k_proj", projection(rng));
        valueProjection = registerModule("v_proj", projection(rng));
    }

    private Conv2d projection(Rng rng) {
        return Conv2d.builder().setChannels(inChannels, outChannels).setKernel(1).optBias(false).build(rng);
    }

    /** A builder: {@code setChannels} is required, the {@code opt} settings optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a {@link LocalSelfAttention2d}, in the style of {@link Conv2d.Builder}: the
     * channels are required; the defaults are the paper's SASA-ResNet layer (8 heads, a 7x7 window,
     * masked border, unscaled logits, stride 1).
     */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private boolean channelsSet;
        private int heads = 8;
        private int kernel = 7;
        private Border border = Border.MASK;
        private boolean scaledLogits;
        private boolean unitEmbeddings;
        private int stride = 1;

        private Builder() {
        }

        /** Required: input channels and output channels (the width of queries, keys and values). */
        public Builder setChannels(int in, int out) {
            inChannels = in;
            outChannels = out;
            channelsSet = true;
            return this;
        }

        /** The number of heads (default 8); the output channels must split into heads of an even size. */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** The side k of the square neighbourhood, odd (default 7, the paper's choice). */
        public Builder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** What lies outside the image (default {@link Border#MASK}). */
        public Builder optBorder(Border border) {
            this.border = border;
            return this;
        }

        /** Whether the logits are multiplied by {@code 1/sqrt(dh)} (default false, as the paper). */
        public Builder optScaledLogits(boolean scaled) {
            this.scaledLogits = scaled;
            return this;
        }

        /**
         * Whether the relative embeddings are drawn from {@code N(0, 1)} instead of {@code N(0, 1/dh)}
         * (default false, as the peer), as public PyTorch re-implementations of SASA draw them.
         */
        public Builder optUnitEmbeddings(boolean unit) {
            this.unitEmbeddings = unit;
            return this;
        }

        /** 1, or 2 for a 2x2 stride-2 average pool after the attention (default 1). */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /**
         * The layer, its parameters initialised from {@code rng}.
         *
         * @throws IllegalStateException if the channels are not set
         * @throws IllegalArgumentException naming the layer and the fix if a setting is invalid
         */
        public LocalSelfAttention2d build(Rng rng) {
            if (!channelsSet) {
                throw new IllegalStateException("LocalSelfAttention2d.builder(): setChannels(in, out) is required before build");
            }
            String layer = describe(inChannels, outChannels, heads, kernel, border, scaledLogits, stride);
            if (inChannels < 1 || outChannels < 1) {
                throw new IllegalArgumentException(layer + ": channels must be at least 1");
            }
            if (heads < 1) {
                throw new IllegalArgumentException(layer + ": heads must be at least 1, got " + heads);
            }
            if (outChannels % heads != 0 || (outChannels / heads) % 2 != 0) {
                throw new IllegalArgumentException(layer + ": " + outChannels + " output channels do not split into "
                        + heads + " heads of an even number of channels (half of each head meets the row embedding, "
                        + "half the column one); choose output channels divisible by " + 2 * heads + " or fewer heads");
            }
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException(layer + ": the kernel size must be odd (the pixel sits at the centre "
                        + "of its window), got " + kernel + "; use 3, 5 or 7");
            }
            if (stride != 1 && stride != 2) {
                throw new IllegalArgumentException(layer + ": stride must be 1, or 2 (2x2 average pooling after the "
                        + "attention), got " + stride);
            }
            if (border == null) {
                throw new IllegalArgumentException(layer + ": the border must be MASK or ZERO, got null");
            }
            double scale = scaledLogits ? LocalAttentionWindow.scaledLogitFactor(outChannels, heads) : 1;
            return new LocalSelfAttention2d(inChannels, outChannels, new LocalAttentionWindow(heads, kernel, border,
                    scale), stride, unitEmbeddings, rng);
        }
    }

    @Override
    public Variable forward(Variable input) {
        if (input.rank() != 4 || input.dims()[1] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input (N, " + inChannels + ", H, W), got "
                    + input.shape());
        }
        if (stride == 2 && (input.dims()[2] < 2 || input.dims()[3] < 2)) {
            throw new IllegalArgumentException(this + ": stride 2 pools 2x2 after the attention and needs an input "
                    + "of at least 2x2, got " + input.shape());
        }
        Variable y = capture == null
                ? sasa(input, queryProjection.weight(), keyProjection.weight(), valueProjection.weight(), relRow,
                        relColumn, window, stride)
                : capture.forward(input);
        return Ledger.record(this, input, y);
    }

    /**
     * Opens a capture of this layer's attention weights; close it when done (try-with-resources):
     * <pre>{@code
     * try (var scope = Autograd.noGrad(); var capture = attention.captureWeights()) {
     *     model.forward(image);
     *     Tensor p = capture.weights();    // (N, heads, k*k, H, W) of this layer's input H x W
     * }
     * }</pre>
     *
     * @throws IllegalStateException if a capture of this layer is already open
     */
    public Capture captureWeights() {
        if (capture != null) {
            throw new IllegalStateException(this + ": a capture of its weights is already open; close it first");
        }
        capture = new Capture();
        return capture;
    }

    /**
     * What the layer's forward passes computed while the capture was open: the input x
     * {@code (N, C_in, H, W)} of the latest pass and its attention weights p {@code (N, heads, k*k, H, W)},
     * the softmax over each pixel's window (see the class comment; index {@code a k + e} is the
     * neighbour at offset {@code (a - r, e - r)}, 0 for neighbours masked out). At stride 2 they are the
     * weights of the attention at the input's resolution, before the pool.
     *
     * <p>The weights come from the attention computed outside the graph
     * ({@link LocalSelfAttention#outputAndWeights}), so a captured pass is for looking, not learning: it
     * must run without gradient recording ({@link vista.autograd.Autograd#noGrad()}). Its output is
     * exactly that of an uncaptured pass. A capture belongs to the thread that runs the model: open it,
     * run the model and read it on that thread.
     */
    public final class Capture implements AutoCloseable {
        private Tensor input;
        private Tensor weights;

        private Capture() {
        }

        private Variable forward(Variable x) {
            if (Autograd.isGradEnabled()) {
                throw new IllegalStateException(LocalSelfAttention2d.this + ": a forward pass that captures the "
                        + "attention weights records no gradients; run it inside Autograd.noGrad()");
            }
            Variable[] qkv = project(x, queryProjection.weight(), keyProjection.weight(), valueProjection.weight());
            LocalSelfAttention.OutputAndWeights attention = LocalSelfAttention.outputAndWeights(
                    qkv[0].data(), qkv[1].data(), qkv[2].data(), relRow.data(), relColumn.data(), window);
            input = x.data();
            weights = attention.weights();
            return pool(new Variable(attention.output()), stride);
        }

        /** The input of the latest forward pass. */
        public Tensor input() {
            requirePass();
            return input;
        }

        /** The attention weights of the latest forward pass, {@code (N, heads, k*k, H, W)}. */
        public Tensor weights() {
            requirePass();
            return weights;
        }

        private void requirePass() {
            if (weights == null) {
                throw new IllegalStateException(LocalSelfAttention2d.this + ": the layer has not run since its "
                        + "capture was opened; run the model's forward pass first");
            }
        }

        /** Ends the capture: later forward passes keep nothing. */
        @Override
        public void close() {
            if (capture == this) {
                capture = null;
            }
        }
    }

    /**
     * The whole layer as a function of its operands (the computation of {@link #forward}, for any of
     * them, e.g. float64 copies in a gradient check): 1x1 projections of x by the three weights
     * {@code (C_out, C_in, 1, 1)}, local self-attention in {@code window} with the embeddings, then at
     * {@code stride} 2 the 2x2 average pool.
     */
    public static Variable sasa(Variable x, Variable queryWeight, Variable keyWeight, Variable valueWeight,
            Variable relRow, Variable relColumn, LocalAttentionWindow window, int stride) {
        Variable[] qkv = project(x, queryWeight, keyWeight, valueWeight);
        return pool(LocalSelfAttention.apply(qkv[0], qkv[1], qkv[2], relRow, relColumn, window), stride);
    }

    /** The queries, keys and values {@code (N, C_out, H, W)}: 1x1 convolutions of x by the three weights. */
    private static Variable[] project(Variable x, Variable queryWeight, Variable keyWeight, Variable valueWeight) {
        Shape w = queryWeight.shape();
        ConvGeometry pointwise = ConvGeometry.convolution(w.dim(1), w.dim(0), 1).build();
        return new Variable[] {vista.autograd.functions.Convolution.apply(x, queryWeight, null, pointwise),
            vista.autograd.functions.Convolution.apply(x, keyWeight, null, pointwise),
            vista.autograd.functions.Convolution.apply(x, valueWeight, null, pointwise)};
    }

    /** y itself at stride 1; at stride 2, its 2x2 average pool. */
    private static Variable pool(Variable y, int stride) {
        return stride == 2 ? vista.autograd.functions.AveragePooling.apply(y, HALVING, true) : y;
    }

    /**
     * The SASA convention of the PyTorch peer ({@code count_complexity}): per pixel of the attention (the
     * input's H x W, before the pool), the three projections {@code 3 C_in C_out}, the logits q·k
     * {@code k² C_out}, the positional logits q·r {@code k C_out} (each query half meets the k rows of
     * its table, and the row and column parts are added per neighbour) and the weighted sum of values
     * {@code k² C_out} multiply-adds. Other ops: one per logit for the softmax ({@code heads k²} per
     * pixel, border neighbours included) and, at stride 2, one per cell the pool reads.
     */
    @Override
    public Cost cost(Shape input, Shape output) {
        long pixels = (long) input.dim(0) * input.dim(2) * input.dim(3);
        int k = window.kernelSize();
        long macs = pixels * (3L * inChannels * outChannels + (2L * k * k + k) * outChannels);
        long softmax = pixels * window.heads() * k * k;
        return new Cost(macs, softmax + (stride == 2 ? 4 * output.numel() : 0));
    }

    /**
     * As {@link #cost}, but with the positional logits counted as a full product {@code k² C_out} per
     * pixel, as if each logit were {@code q·(k + r)}: the count that reproduces SASA's Table 1 (4.5, 5.7
     * and 7.0 GFLOPs for SASA-ResNet-26, -38 and -50).
     */
    @Override
    public Cost paperCost(Shape input, Shape output) {
        Cost ours = cost(input, output);
        long pixels = (long) input.dim(0) * input.dim(2) * input.dim(3);
        int k = window.kernelSize();
        return new Cost(ours.macs() + pixels * (long) (k * k - k) * outChannels, ours.otherOps());
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Heads, window size, border and logit scale. */
    public LocalAttentionWindow window() {
        return window;
    }

    public int stride() {
        return stride;
    }

    /** The row-offset embedding {@code rel_row}, {@code (k, dh / 2)}. */
    public Variable relRow() {
        return relRow;
    }

    /** The column-offset embedding {@code rel_col}, {@code (k, dh / 2)}. */
    public Variable relColumn() {
        return relColumn;
    }

    /** The query projection {@code q_proj}, a bias-free 1x1 convolution. */
    public Conv2d queryProjection() {
        return queryProjection;
    }

    /** The key projection {@code k_proj}. */
    public Conv2d keyProjection() {
        return keyProjection;
    }

    /** The value projection {@code v_proj}. */
    public Conv2d valueProjection() {
        return valueProjection;
    }

    /** E.g. {@code LocalSelfAttention2d(64->64, heads=8, k=7, stride=2)}: settings at their default are left out. */
    @Override
    public String toString() {
        return describe(inChannels, outChannels, window.heads(), window.kernelSize(), window.border(),
                window.logitScale() != 1, stride);
    }

    private static String describe(int in, int out, int heads, int kernel, Border border, boolean scaled, int stride) {
        return "LocalSelfAttention2d(" + in + "->" + out + ", heads=" + heads + ", k=" + kernel
                + (border == Border.ZERO ? ", border=ZERO" : "") + (scaled ? ", scaled logits" : "")
                + (stride != 1 ? ", stride=" + stride : "") + ")";
    }
}
