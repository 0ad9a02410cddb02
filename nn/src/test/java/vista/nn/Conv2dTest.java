package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;

/** The Conv2d layer: PyTorch's names and shapes, ResNet's initialisation, the functional op, errors. */
class Conv2dTest {

    @Test
    void parametersHavePyTorchNamesAndShapes() {
        Conv2d conv = Conv2d.builder().setChannels(8, 12).setKernel(3, 5).optGroups(4).build(new Rng(1));
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
        assertArrayEquals(new int[] {12, 2, 3, 5}, conv.weight().dims(), "weight is (out, in / groups, kH, kW)");
        assertArrayEquals(new int[] {12}, conv.bias().dims());
        Conv2d noBias = Conv2d.builder().setChannels(3, 4).setKernel(1).optBias(false).build(new Rng(1));
        assertEquals(List.of("weight"), List.copyOf(noBias.namedParameters().keySet()));
        assertNull(noBias.bias());
        assertEquals(12, noBias.parameterCount());
        Sequential net = new Sequential(conv, new ReLU(), noBias);
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(net.stateDict().keySet()));
    }

    @Test
    void weightIsKaimingNormalWithFanOut() {
        Conv2d conv = Conv2d.builder().setChannels(64, 128).setKernel(3).build(new Rng(2));
        float[] w = conv.weight().data().toFloatArray();
        double std = Math.sqrt(2.0 / (128 * 3 * 3));
        double sum = 0;
        double squares = 0;
        for (float v : w) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / w.length;
        assertEquals(0, mean, 4 * std / Math.sqrt(w.length), "mean of " + w.length + " draws");
        assertEquals(std, Math.sqrt(squares / w.length - mean * mean), 0.01 * std, "standard deviation sqrt(2 / fan_out)");
        assertEquals((float) (std * new Rng(2).nextGaussian()), w[0], "the first weight is the stream's first draw");
        assertArrayEquals(w, Conv2d.builder().setChannels(64, 128).setKernel(3).build(new Rng(2)).weight().data()
                .toFloatArray(), "same seed, same weights");
    }

    @Test
    void groupsDoNotChangeTheFanOut() {
        // PyTorch's fan_out is weight.size(0) * kH * kW whatever the groups: depthwise 32 channels, 3x3 -> 288.
        Conv2d depthwise = Conv2d.builder().setChannels(32, 32).setKernel(3).optGroups(32).build(new Rng(3));
        Tensor expected = Init.kaimingNormal(Tensor.zeros(32, 1, 3, 3), Init.FanMode.FAN_OUT, Init.RELU_GAIN, new Rng(3));
        assertArrayEquals(expected.toFloatArray(), depthwise.weight().data().toFloatArray());
    }

    @Test
    void biasIsUniformWithinOneOverSqrtFanIn() {
        Conv2d conv = Conv2d.builder().setChannels(16, 200).setKernel(3).optGroups(2).build(new Rng(4));
        double bound = 1 / Math.sqrt(8 * 3 * 3);
        double largest = 0;
        for (float v : conv.bias().data().toFloatArray()) {
            assertTrue(Math.abs(v) < bound, "bias " + v + " outside +-" + bound);
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0.8 * bound, "200 uniform draws reach near the bound, the largest was " + largest);
    }

    @Test
    void forwardAndBackwardAreTheFunctionalOp() {
        Conv2d conv = Conv2d.builder().setChannels(3, 5).setKernel(3).optStride(2).optPadding(1).build(new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 2, 3, 9, 8);
        Variable input = new Variable(x, true);
        Variable y = conv.forward(input);
        ConvGeometry g = conv.geometry();
        Tensor expected = ConvolutionKernels.forward(x, conv.weight().data(), conv.bias().data(), g);
        assertArrayEquals(expected.toFloatArray(), y.data().toFloatArray());
        Tensor gy = Tensor.randn(new Rng(7), y.dims());
        y.backward(gy);
        assertArrayEquals(ConvolutionKernels.backwardInput(gy, conv.weight().data(), x.shape(), g).toFloatArray(),
                input.grad().toFloatArray());
        assertArrayEquals(ConvolutionKernels.backwardWeight(gy, x, g).toFloatArray(), conv.weight().grad().toFloatArray());
        assertArrayEquals(ConvolutionKernels.backwardBias(gy).toFloatArray(), conv.bias().grad().toFloatArray());
    }

    @Test
    void loadsAPyTorchStyleStateDict() {
        Conv2d conv = Conv2d.builder().setChannels(1, 1).setKernel(2).build(new Rng(8));
        conv.loadStateDict(Map.of("weight", Tensor.fromArray(new float[] {1, 0, 0, -1}, 1, 1, 2, 2),
                "bias", Tensor.fromArray(new float[] {10}, 1)));
        Tensor x = Tensor.arange(1, 10, 1).reshape(1, 1, 3, 3);
        // out[i, j] = x[i, j] - x[i + 1, j + 1] + 10 = 6 everywhere on the image 1..9.
        assertArrayEquals(new float[] {6, 6, 6, 6}, conv.forward(new Variable(x)).data().toFloatArray());
    }

    @Test
    void describesItself() {
        assertEquals("Conv2d(64->128, k=3, s=2, p=1, no bias)", Conv2d.builder().setChannels(64, 128).setKernel(3)
                .optStride(2).optPadding(1).optBias(false).build(new Rng(9)).toString());
        assertEquals("Conv2d(3->8, k=7x5, d=2)", Conv2d.builder().setChannels(3, 8)
                .setKernel(7, 5).optDilation(2).build(new Rng(9)).toString());
        assertEquals("Conv2d(32->32, k=3, p=1, g=32, no bias)", Conv2d.builder().setChannels(32, 32).setKernel(3)
                .optPadding(1).optGroups(32).optBias(false).build(new Rng(9)).toString());
    }

    @Test
    void rejectsMissingAndInvalidSettings() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Conv2d.builder().setKernel(3).build(new Rng(10)));
        assertEquals("Conv2d.builder(): setChannels(in, out) is required before build", missing.getMessage());
        missing = assertThrows(IllegalStateException.class, () -> Conv2d.builder().build(new Rng(10)));
        assertEquals("Conv2d.builder(): setChannels(in, out) and setKernel(k) are required before build",
                missing.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.builder().setChannels(6, 8).setKernel(3).optGroups(4).build(new Rng(10)));
        assertEquals("Conv2d(6->8, k=3, g=4): input channels 6 are not divisible by groups 4", invalid.getMessage());
        invalid = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(ConvGeometry.pooling("MaxPool2d", 2).build(), true, new Rng(10)));
        assertEquals("Conv2d: MaxPool2d(k=2) is a pooling window, not a convolution", invalid.getMessage());
    }

    @Test
    void rejectsInputsOfTheWrongShape() {
        Conv2d conv = Conv2d.builder().setChannels(64, 128).setKernel(3).optBias(false).build(new Rng(11));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(new Variable(Tensor.zeros(8, 32, 28, 28))));
        assertEquals("Conv2d(64->128, k=3): expected input with 64 channels, got [8, 32, 28, 28]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.forward(new Variable(Tensor.zeros(64, 28, 28))));
        assertEquals("Conv2d(64->128, k=3): expected a 4-D input (N, C, H, W), got [64, 28, 28]", e.getMessage());
    }
}
