package vista.nn.inference;

import vista.autograd.Autograd;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.AveragePooling;
import vista.autograd.functions.Convolution;
import vista.autograd.functions.LocalSelfAttention;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * SASA's attention layer with the BatchNorm after it folded into its value projection, and the ReLU after
 * that, for inference only. With the masked border the softmax weights p of a pixel sum to 1 over the
 * neighbours inside the image, so the norm's affine map {@code s y + t} ({@code s = γ / sqrt(σ² + eps)},
 * {@code t = β - μ s}) passes through the weighted sum onto each value:
 * <pre>
 *   BN(sum p v) = s sum p v + t = sum p (s v + t) = sum p v',    v' = (W_V s) x + t
 * </pre>
 * so the value projection becomes a 1x1 convolution with weight {@code W_V s} and bias t
 * ({@link BatchNormFolding}), computed with its bias in the convolution's epilogue; the attention kernel is
 * unchanged. At stride 2 the 2x2 average pool also has weights summing to 1, so the same holds after it.
 * The zero border gives outside neighbours value 0 with a share of the softmax, which would leave them out
 * of the shift t: {@link #canFold} refuses that layer and {@link Folding} keeps it and its norm unfolded.
 */
public final class FoldedLocalSelfAttention extends Module {
    private static final ConvGeometry HALVING = ConvGeometry.pooling("AvgPool2d", 2).stride(2).build();

    private final ConvGeometry pointwise;
    private final Tensor queryWeight;
    private final Tensor keyWeight;
    private final Tensor valueWeight;
    private final Tensor valueBias;
    private final Tensor relRow;
    private final Tensor relColumn;
    private final LocalAttentionWindow window;
    private final int stride;
    private final boolean relu;
    private final String origin;

    /**
     * {@code attention} followed by {@code norm} (evaluation mode) and, if {@code relu}, a ReLU.
     *
     * @throws IllegalArgumentException if the layer's border is not masked ({@link #canFold})
     */
    public FoldedLocalSelfAttention(LocalSelfAttention2d attention, BatchNorm2d norm, boolean relu) {
        if (!canFold(attention)) {
            throw new IllegalArgumentException(attention + ": only a masked-border attention layer can take in the "
                    + "BatchNorm after it (with the zero border, outside neighbours keep a share of the softmax "
                    + "and value 0); keep " + norm + " as a layer of its own");
        }
        BatchNormFolding.Folded value = BatchNormFolding.fold(attention.valueProjection().weight().data(), null, norm);
        pointwise = ConvGeometry.convolution(attention.inChannels(), attention.outChannels(), 1).build();
        queryWeight = attention.queryProjection().weight().data().copy();
        keyWeight = attention.keyProjection().weight().data().copy();
        valueWeight = value.weight();
        valueBias = value.bias();
        relRow = attention.relRow().data().copy();
        relColumn = attention.relColumn().data().copy();
        window = attention.window();
        stride = attention.stride();
        this.relu = relu;
        origin = attention + " + " + norm;
    }

    /** Whether the norm after {@code attention} folds into it: only with the masked border. */
    public static boolean canFold(LocalSelfAttention2d attention) {
        return attention.window().border() == Border.MASK;
    }

    /**
     * {@code relu(pool(attention(q, k, v')))}, the pool at stride 2 only, the ReLU if asked.
     *
     * @throws IllegalStateException if gradients are being recorded (call it inside {@code Autograd.noGrad()})
     */
    @Override
    public Variable forward(Variable input) {
        if (Autograd.isGradEnabled()) {
            throw new IllegalStateException(this + " is part of a folded network, which computes no gradients: run"
                    + " it inside Autograd.noGrad(), or train the network it was folded from");
        }
        Tensor x = input.data();
        Variable q = new Variable(Convolution.inference(x, queryWeight, null, null, false, pointwise));
        Variable k = new Variable(Convolution.inference(x, keyWeight, null, null, false, pointwise));
        Variable v = new Variable(Convolution.inference(x, valueWeight, valueBias, null, false, pointwise));
        Variable y = LocalSelfAttention.apply(q, k, v, new Variable(relRow), new Variable(relColumn), window);
        if (stride == 2) {
            y = AveragePooling.apply(y, HALVING, true);
        }
        return Ledger.record(this, input, relu ? y.relu() : y);
    }

    /** E.g. {@code Inference[LocalSelfAttention2d(...) + BatchNorm2d(64), relu]}. */
    @Override
    public String toString() {
        return "Inference[" + origin + (relu ? ", relu" : "") + "]";
    }
}
