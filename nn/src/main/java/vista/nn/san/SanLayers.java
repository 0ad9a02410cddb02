package vista.nn.san;

import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.tensor.Rng;

/**
 * The layers SAN's attention blocks are built from: 1x1 convolutions initialised as the official code
 * leaves them (PyTorch's default), and γ's two-layer mapping.
 */
final class SanLayers {
    private SanLayers() {
    }

    /**
     * A 1x1 convolution with PyTorch's default initialisation, which the official SAN code keeps:
     * weight and bias uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}, weight first.
     */
    static Conv2d pointwise(int in, int out, boolean bias, Rng rng) {
        return Conv2d.builder().setChannels(in, out).setKernel(1).optBias(bias)
                .optInitialisation(Conv2d.Initialisation.PYTORCH_DEFAULT).build(rng);
    }

    /**
     * γ, the official {@code conv_w}: {@code BN(in) -> ReLU -> 1x1 (in -> hidden, no bias) -> BN(hidden)
     * -> ReLU -> 1x1 (hidden -> out, with bias)}, children named "0" to "5".
     */
    static Sequential mapping(int in, int hidden, int out, Rng rng) {
        return new Sequential(new BatchNorm2d(in), new ReLU(), pointwise(in, hidden, false, rng.split("2")),
                new BatchNorm2d(hidden), new ReLU(), pointwise(hidden, out, true, rng.split("5")));
    }
}
