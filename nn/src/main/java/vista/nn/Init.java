package vista.nn;

import java.util.function.DoubleSupplier;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Parameter initialisation, in place, with PyTorch's formulas ({@code torch.nn.init}).
 *
 * <p>Random initialisers draw one value per element from the given {@link Rng}, in row-major order, so
 * the same stream gives the same tensor on every machine and for every thread count; give each
 * layer its own stream ({@code rng.split("layer1.0.conv1")}) so that adding a layer does not shift the
 * others.
 *
 * <p><b>Fans.</b> For a weight of shape {@code (out, in, k1, k2, ...)} the receptive field is
 * {@code k1 k2 ...} (1 for a 2-D weight), {@code fan_in = in * receptive field} and
 * {@code fan_out = out * receptive field}.
 *
 * <p><b>Gains</b> (PyTorch's {@code calculate_gain}): linear and sigmoid 1, ReLU sqrt(2), and for a
 * leaky ReLU of negative slope a, sqrt(2 / (1 + a²)).
 */
public final class Init {
    /** The gain for layers followed by a ReLU: sqrt(2). */
    public static final double RELU_GAIN = Math.sqrt(2);

    /** Which fan a Kaiming initialiser preserves the variance of. */
    public enum FanMode {
        /** Preserves the variance of the activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of the gradients in the backward pass (the ResNet papers' choice). */
        FAN_OUT
    }

    private Init() {
    }

    /** The gain of a leaky ReLU with negative slope {@code a}: sqrt(2 / (1 + a²)). */
    public static double leakyReluGain(double negativeSlope) {
        return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    }

    /** {@code fan_in = in * receptive field} of a weight {@code (out, in, k...)}. */
    public static int fanIn(Shape weight) {
        checkFans(weight);
        return weight.dim(1) * receptiveField(weight);
    }

    /** {@code fan_out = out * receptive field} of a weight {@code (out, in, k...)}. */
    public static int fanOut(Shape weight) {
        checkFans(weight);
        return weight.dim(0) * receptiveField(weight);
    }

    /**
     * Kaiming (He) normal: {@code w ~ N(0, std²)} with {@code std = gain / sqrt(fan)}, fan chosen by
     * {@code mode}. PyTorch's {@code kaiming_normal_(w, mode='fan_out', nonlinearity='relu')} is
     * {@code kaimingNormal(w, FAN_OUT, RELU_GAIN, rng)}.
     */
    public static Tensor kaimingNormal(Tensor weight, FanMode mode, double gain, Rng rng) {
        double std = gain / Math.sqrt(fan(weight.shape(), mode));
        return normal(weight, 0, std, rng);
    }

    /**
     * Kaiming (He) uniform: {@code w ~ U[-bound, bound)} with {@code bound = gain sqrt(3 / fan)}, fan
     * chosen by {@code mode}, which has the variance of {@link #kaimingNormal}.
     */
    public static Tensor kaimingUniform(Tensor weight, FanMode mode, double gain, Rng rng) {
        double bound = gain * Math.sqrt(3.0 / fan(weight.shape(), mode));
        return uniform(weight, -bound, bound, rng);
    }

    /**
     * {@code w = low + (high - low) u} with u uniform on [0, 1) ({@link Rng#nextDouble()}), rounded to
     * the tensor's dtype.
     */
    public static Tensor uniform(Tensor tensor, double low, double high, Rng rng) {
        if (!(low < high)) {
            throw new IllegalArgumentException("Init.uniform: expected low < high, got " + low + " and " + high);
        }
        return fill(tensor, () -> low + (high - low) * rng.nextDouble());
    }

    /**
     * {@code w = mean + std z} with z standard normal ({@link Rng#nextGaussian()}), rounded to the
     * tensor's dtype.
     */
    public static Tensor normal(Tensor tensor, double mean, double std, Rng rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: expected std >= 0, got " + std);
        }
        return fill(tensor, () -> mean + std * rng.nextGaussian());
    }

    /** {@code w = value} everywhere. */
    public static Tensor constant(Tensor tensor, double value) {
        tensor.fill(value);
        return tensor;
    }

    /** {@code w = 0}. */
    public static Tensor zeros(Tensor tensor) {
        return constant(tensor, 0);
    }

    /** {@code w = 1}. */
    public static Tensor ones(Tensor tensor) {
        return constant(tensor, 1);
    }

    private static Tensor fill(Tensor tensor, DoubleSupplier next) {
        Tensor values = Tensor.zeros(tensor.dtype(), tensor.shape());
        for (int i = 0; i < values.numel(); i++) {
            values.storage().set(i, next.getAsDouble());
        }
        tensor.copyFrom(values);
        return tensor;
    }

    private static int fan(Shape weight, FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn(weight) : fanOut(weight);
    }

    private static int receptiveField(Shape weight) {
        int r = 1;
        for (int a = 2; a < weight.rank(); a++) {
            r *= weight.dim(a);
        }
        return r;
    }

    private static void checkFans(Shape weight) {
        if (weight.rank() < 2) {
            throw new IllegalArgumentException("Init: fans need a weight of rank 2 or more (out, in, ...), got "
                    + weight);
        }
        if (weight.numel() == 0) {
            throw new IllegalArgumentException("Init: fans of the empty weight " + weight + " are zero");
        }
    }
}
