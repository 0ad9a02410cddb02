package vista.nn.inference;

import vista.autograd.Autograd;
import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.Convolution;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/**
 * A convolution with its BatchNorm folded in and its activation and residual add in the epilogue, for
 * inference only:
 * <pre>
 *   y = relu(conv(x, w') + b' + r)
 * </pre>
 * w', b' from {@link BatchNormFolding} (or the convolution's own weight and bias when no norm follows
 * it), r the residual given to {@link #forward(Variable, Variable)} (0 otherwise), the ReLU only if the
 * layer was built with it. One pass over the output does what a convolution, a BatchNorm, an add and a
 * ReLU do in four ({@link Convolution#inference}). It runs on raw tensors, records no graph and saves
 * nothing, so it refuses to run while gradients are recorded.
 */
public final class InferenceConv2d extends Module implements Complexity {
    private final ConvGeometry geometry;
    private final Tensor weight;
    private final Tensor bias;
    private final boolean relu;
    private final String origin;

    private InferenceConv2d(ConvGeometry geometry, Tensor weight, Tensor bias, boolean relu, String origin) {
        this.geometry = geometry;
        this.weight = weight;
        this.bias = bias;
        this.relu = relu;
        this.origin = origin;
    }

    /** {@code conv} followed by {@code norm} (evaluation mode) and, if {@code relu}, a ReLU. */
    public static InferenceConv2d folding(Conv2d conv, BatchNorm2d norm, boolean relu) {
        Tensor b = conv.bias() == null ? null : conv.bias().data();
        BatchNormFolding.Folded f = BatchNormFolding.fold(conv.weight().data(), b, norm);
        return new InferenceConv2d(conv.geometry(), f.weight(), f.bias(), relu, conv + " + " + norm);
    }

    /** {@code conv} alone and, if {@code relu}, a ReLU: its weight and bias copied. */
    public static InferenceConv2d of(Conv2d conv, boolean relu) {
        Tensor b = conv.bias() == null ? null : conv.bias().data().copy();
        return new InferenceConv2d(conv.geometry(), conv.weight().data().copy(), b, relu, conv.toString());
    }

    /** {@code relu(conv(x, w') + b')} (without the ReLU if the layer has none). */
    @Override
    public Variable forward(Variable input) {
        return forward(input, null);
    }

    /**
     * {@code relu(conv(x, w') + b' + residual)}: the residual (the output's shape, or null for none) added in
     * the epilogue, as a residual block's shortcut.
     *
     * @throws IllegalStateException if gradients are being recorded (call it inside {@code Autograd.noGrad()})
     */
    public Variable forward(Variable input, Variable residual) {
        if (Autograd.isGradEnabled()) {
            throw new IllegalStateException(this + " is part of a folded network, which computes no gradients: run"
                    + " it inside Autograd.noGrad(), or train the network it was folded from");
        }
        Tensor y = Convolution.inference(input.data(), weight, bias, residual == null ? null : residual.data(), relu,
                geometry);
        return Ledger.record(this, input, new Variable(y));
    }

    /**
     * The convolution's multiply-adds, and one other op per output element for the bias and one for the
     * ReLU (a residual add, known only per call, is not counted).
     */
    @Override
    public Cost cost(Shape input, Shape output) {
        Cost conv = Convolution.cost(geometry, bias != null, output);
        return new Cost(conv.macs(), conv.otherOps() + (relu ? output.numel() : 0));
    }

    /** The sizes. */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** The folded weight w', {@code (C_out, C_in / groups, kH, kW)}. */
    public Tensor weight() {
        return weight;
    }

    /** The folded bias b', {@code (C_out)}, or null. */
    public Tensor bias() {
        return bias;
    }

    /** Whether the epilogue ends in a ReLU. */
    public boolean relu() {
        return relu;
    }

    /** E.g. {@code Inference[Conv2d(64->64, k=3, p=1, no bias) + BatchNorm2d(64), relu]}. */
    @Override
    public String toString() {
        return "Inference[" + origin + (relu ? ", relu" : "") + "]";
    }
}
