package vista.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import vista.autograd.Complexity;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.autograd.functions.Convolution;
import vista.nn.Init.FanMode;
import vista.tensor.Shape;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/**
 * A 2-D convolution layer (PyTorch's {@code nn.Conv2d} with zero padding): x {@code (N, C_in, H, W)} to
 * {@code (N, C_out, H_out, W_out)}, with parameters {@code weight} {@code (C_out, C_in / groups, kH, kW)}
 * and, unless switched off, {@code bias} {@code (C_out)}, named and laid out as in PyTorch so that state
 * dicts load either way. The formulas (forward and backward) and the cost are those of {@link Convolution};
 * the sizes those of its {@link ConvGeometry}.
 *
 * <pre>{@code
 * Conv2d conv = Conv2d.builder().setChannels(64, 128).setKernel(3).optStride(2).optPadding(1).optBias(false)
 *         .build(rng.split("layer2.0.conv1"));
 * }</pre>
 *
 * <p><b>Initialisation</b> ({@link Initialisation}), by default as torchvision's ResNet: the weight is
 * Kaiming normal with fan_out and the ReLU gain, {@code w ~ N(0, 2 / fan_out)} with
 * {@code fan_out = C_out kH kW} (PyTorch's fan, which does not divide by the groups); the bias, which
 * torchvision leaves at PyTorch's default, is uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))} with
 * {@code fan_in = C_in / groups * kH * kW}. Both are drawn from the {@link Rng} given to
 * {@link Builder#build}, in row-major order, the weight first.
 */
public final class Conv2d extends Module implements Complexity {
    /** How the weight is drawn; the bias is always PyTorch's default. */
    public enum Initialisation {
        /** {@code N(0, 2 / fan_out)}: torchvision's ResNet (the default). */
        KAIMING_NORMAL_FAN_OUT,
        /**
         * Uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}: PyTorch's own default ({@code kaiming_uniform_}
         * with {@code a = sqrt(5)}), which the official SAN code keeps.
         */
        PYTORCH_DEFAULT
    }

    private final ConvGeometry geometry;
    private final Variable weight;
    private final Variable bias;

    /** A layer of the given geometry, with or without bias, initialised from {@code rng} (see the class comment). */
    public Conv2d(ConvGeometry geometry, boolean bias, Rng rng) {
        this(geometry, bias, Initialisation.KAIMING_NORMAL_FAN_OUT, rng);
    }

    /** A layer of the given geometry, with or without bias, its weight drawn as {@code initialisation} says. */
    public Conv2d(ConvGeometry geometry, boolean bias, Initialisation initialisation, Rng rng) {
        if (!geometry.isConvolution()) {
            throw new IllegalArgumentException("Conv2d: " + geometry + " is a pooling window, not a convolution");
        }
        this.geometry = geometry;
        Tensor w = Tensor.zeros(geometry.weightShape().dims());
        double bound = 1 / Math.sqrt(Init.fanIn(w.shape()));
        this.weight = registerParameter("weight", switch (initialisation) {
            case KAIMING_NORMAL_FAN_OUT -> Init.kaimingNormal(w, FanMode.FAN_OUT, Init.RELU_GAIN, rng);
            case PYTORCH_DEFAULT -> Init.uniform(w, -bound, bound, rng);
        });
        this.bias = bias
                ? registerParameter("bias", Init.uniform(Tensor.zeros(geometry.outChannels()), -bound, bound, rng))
                : null;
    }

    /** A builder: {@code setChannels} and {@code setKernel} are required, the {@code opt} settings optional. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a {@link Conv2d}, DJL style: {@code set...} for the required ones (channels, kernel),
     * {@code opt...} for the optional ones, with PyTorch's defaults (stride 1, padding 0, dilation 1,
     * one group, with bias).
     */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private int kernelHeight;
        private int kernelWidth;
        private boolean channelsSet;
        private boolean kernelSet;
        private boolean bias = true;
        private Initialisation initialisation = Initialisation.KAIMING_NORMAL_FAN_OUT;
        /** The optional geometry settings in call order, applied to a {@link ConvGeometry.Builder} by {@link #build}. */
        private final List<UnaryOperator<ConvGeometry.Builder>> geometrySettings = new ArrayList<>();

        private Builder() {
        }

        /** Required: input and output channels. */
        public Builder setChannels(int in, int out) {
            inChannels = in;
            outChannels = out;
            channelsSet = true;
            return this;
        }

        /** Required: a square kernel. */
        public Builder setKernel(int kernel) {
            return setKernel(kernel, kernel);
        }

        /** Required: a {@code height x width} kernel. */
        public Builder setKernel(int height, int width) {
            kernelHeight = height;
            kernelWidth = width;
            kernelSet = true;
            return this;
        }

        public Builder optStride(int stride) {
            return optStride(stride, stride);
        }

        public Builder optStride(int height, int width) {
            geometrySettings.add(g -> g.stride(height, width));
            return this;
        }

        /** Zero padding on each side. */
        public Builder optPadding(int padding) {
            return optPadding(padding, padding);
        }

        public Builder optPadding(int height, int width) {
            geometrySettings.add(g -> g.padding(height, width));
            return this;
        }

        public Builder optDilation(int dilation) {
            return optDilation(dilation, dilation);
        }

        public Builder optDilation(int height, int width) {
            geometrySettings.add(g -> g.dilation(height, width));
            return this;
        }

        /** Groups: channels are split into this many independent convolutions (= channels: depthwise). */
        public Builder optGroups(int groups) {
            geometrySettings.add(g -> g.groups(groups));
            return this;
        }

        /** Whether the layer has a bias (default true, as in PyTorch; ResNet's convolutions have none). */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** How the weight is drawn (default {@link Initialisation#KAIMING_NORMAL_FAN_OUT}). */
        public Builder optInitialisation(Initialisation initialisation) {
            this.initialisation = initialisation;
            return this;
        }

        /**
         * The layer, its parameters initialised from {@code rng}.
         *
         * @throws IllegalStateException if a required setting is missing
         * @throws IllegalArgumentException naming the layer if a setting is invalid
         */
        public Conv2d build(Rng rng) {
            if (!channelsSet || !kernelSet) {
                String missing = !channelsSet && !kernelSet ? "setChannels(in, out) and setKernel(k) are"
                        : !channelsSet ? "setChannels(in, out) is" : "setKernel(k) is";
                throw new IllegalStateException("Conv2d.builder(): " + missing + " required before build");
            }
            ConvGeometry.Builder geometry = ConvGeometry.convolution(inChannels, outChannels, kernelHeight, kernelWidth);
            for (UnaryOperator<ConvGeometry.Builder> setting : geometrySettings) {
                geometry = setting.apply(geometry);
            }
            return new Conv2d(geometry.build(), bias, initialisation, rng);
        }
    }

    @Override
    public Variable forward(Variable input) {
        return Ledger.record(this, input, Convolution.apply(input, weight, bias, geometry));
    }

    /** The cost of its convolution, {@link Convolution#cost(ConvGeometry, boolean, Shape)}. */
    @Override
    public Cost cost(Shape input, Shape output) {
        return Convolution.cost(geometry, bias != null, output);
    }

    /** The sizes: channels, kernel, stride, padding, dilation, groups. */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** The weight, shape {@code (C_out, C_in / groups, kH, kW)}. */
    public Variable weight() {
        return weight;
    }

    /** The bias, shape {@code (C_out)}, or null for a layer without bias. */
    public Variable bias() {
        return bias;
    }

    /** E.g. {@code Conv2d(64->128, k=3, s=2, p=1, no bias)}: settings at their default are left out. */
    @Override
    public String toString() {
        String g = geometry.toString();
        return bias == null ? g.substring(0, g.length() - 1) + ", no bias)" : g;
    }
}
