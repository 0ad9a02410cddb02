import java.util.ArrayList;
import java.util.List;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.data.FashionMnist;
import vista.models.zoo.resnet.Bottleneck;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Flatten;
import vista.nn.GlobalAvgPool2d;
import vista.nn.Linear;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;
import vista.tensor.kernels.ConvolutionKernels;

/**
 * Lesson 5 (docs/learn/05-convolution.md): convolution as im2col + GEMM, BatchNorm, a ResNet bottleneck, and
 * a small residual network trained on Fashion-MNIST.
 * <ol>
 *   <li>im2col written here: every k x k patch of every input channel becomes a column, and the convolution
 *       is one matrix product {@code W (C_out x C_in k k) . cols (C_in k k x H_out W_out)}; it matches
 *       Vista's reference convolution to rounding.</li>
 *   <li>BatchNorm in training mode: per channel, the batch's mean goes to 0 and its variance to 1.</li>
 *   <li>A bottleneck block (1x1 reduce, 3x3, 1x1 expand, plus the shortcut): its shapes and parameters.</li>
 *   <li>Training a stem + two bottlenecks on Fashion-MNIST (24,000 images, 3 epochs, about 45 s on 2 cores;
 *       --quick: 128 images, one epoch), printing the loss curve and the accuracy on the test images.</li>
 * </ol>
 * <p>Run: {@code ./vista learn 5} (needs Fashion-MNIST in /usr/share/datasets/fashion-mnist; the launcher
 * installs Debian's dataset-fashion-mnist when it can); {@code --quick} trains on 128 images.
 */
public class Lesson5 {
    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Rng rng = new Rng(5);
        im2colEqualsConvolution(rng);
        batchNormStandardises(rng);
        bottleneckShapes(rng);
        train(rng.split("training"), quick);
    }

    static void im2colEqualsConvolution(Rng rng) {
        int channels = 2, out = 3, side = 6, k = 3, padding = 1;
        Tensor x = Tensor.randn(rng, 1, channels, side, side).to(DType.FLOAT64);
        Tensor w = Tensor.randn(rng, out, channels, k, k).to(DType.FLOAT64);
        ConvGeometry geometry = ConvGeometry.convolution(channels, out, k).padding(padding).build();
        int outSide = geometry.outputHeight(side);
        Tensor cols = Tensor.zeros(DType.FLOAT64, Shape.of(channels * k * k, outSide * outSide));
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                    for (int i = 0; i < outSide; i++) {
                        for (int j = 0; j < outSide; j++) {
                            int y = i - padding + u;
                            int z = j - padding + v;
                            boolean inside = y >= 0 && y < side && z >= 0 && z < side;
                            cols.set(inside ? x.get(0, c, y, z) : 0, (c * k + u) * k + v, i * outSide + j);
                        }
                    }
                }
            }
        }
        Tensor byGemm = w.reshape(out, channels * k * k).matmul(cols).reshape(1, out, outSide, outSide);
        Tensor byKernel = ConvolutionKernels.forward(x, w, null, geometry);
        double difference = byGemm.sub(byKernel).abs().max(new int[] {0, 1, 2, 3}, false).item();
        System.out.printf("im2col: a %d x %d matrix of patches; W (%d x %d) times it = the convolution, "
                + "max |difference| %.1e%n", cols.dim(0), cols.dim(1), out, channels * k * k, difference);
        check(difference < 1e-12, "im2col + GEMM is the convolution");
    }

    static void batchNormStandardises(Rng rng) {
        Tensor x = Tensor.randn(rng, 16, 4, 8, 8).mul(2).add(3);
        BatchNorm2d norm = new BatchNorm2d(4);
        Tensor y = norm.forward(new Variable(x)).data();
        int[] axes = {0, 2, 3};
        System.out.printf("BatchNorm2d(4), training mode: channel means %s -> %s, variances %s -> %s%n",
                rounded(x.mean(axes, false)), rounded(y.mean(axes, false)), rounded(x.var(axes, false, 0)),
                rounded(y.var(axes, false, 0)));
        check(y.mean(axes, false).abs().max(new int[] {0}, false).item() < 1e-4, "every channel's mean is 0");
    }

    static void bottleneckShapes(Rng rng) {
        Bottleneck block = new Bottleneck(16, 8, 4, 2, false, rng);
        Shape in = Shape.of(2, 16, 28, 28);
        Shape out = block.forward(new Variable(Tensor.zeros(in.dims()))).shape();
        System.out.printf("Bottleneck(16 -> 8 -> 32, stride 2): %s -> %s, %,d parameters "
                + "(1x1 reduce, 3x3, 1x1 expand, and a 1x1 stride-2 shortcut)%n", in, out, block.parameterCount());
        check(out.equals(Shape.of(2, 32, 14, 14)), "the block halves the side and quadruples the middle width");
    }

    static void train(Rng rng, boolean quick) throws Exception {
        Dataset all = FashionMnist.train();
        Dataset test = quick ? FashionMnist.test().subset(range(128)) : FashionMnist.test();
        Dataset train = all.subset(range(quick ? 128 : 24000));
        int epochs = quick ? 1 : 3;
        Module model = new Sequential(
                Conv2d.builder().setChannels(1, 16).setKernel(3).optPadding(1).optBias(false).build(rng),
                new BatchNorm2d(16), new ReLU(),
                new Bottleneck(16, 8, 4, 2, false, rng),
                new Bottleneck(32, 16, 4, 2, false, rng),
                new GlobalAvgPool2d(), new Flatten(), new Linear(64, 10, rng));
        Sgd sgd = Sgd.builder(model.namedParameters()).setLearningRate(0.1).optMomentum(0.9).build();
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        System.out.printf("training a stem + 2 bottlenecks (%,d parameters) on %,d Fashion-MNIST images, %d epoch%s"
                + " (learning rate 0.1%s)%n", model.parameterCount(), train.size(), epochs, epochs == 1 ? "" : "s",
                epochs > 1 ? ", 0.01 in the last epoch" : "");
        List<Double> losses = new ArrayList<>();
        long start = System.nanoTime();
        try (DataLoader loader = DataLoader.builder().setDataset(train).setBatchSize(32).setSeed(rng.nextLong())
                .optShuffle(true).build()) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                sgd.setLearningRate(epoch == epochs - 1 && epochs > 1 ? 0.01 : 0.1);
                model.train(true);
                for (Batch batch : loader.epoch(epoch)) {
                    Variable loss = lossFunction.forward(model.forward(new Variable(batch.images())), batch.labels());
                    sgd.zeroGrad();
                    loss.backward();
                    sgd.step();
                    losses.add(loss.item());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printCurve(losses);
        double accuracy = accuracy(model, test);
        System.out.printf("%d steps in %.1f s; test accuracy on %,d images: %.1f%% (chance: 10%%)%n", losses.size(),
                seconds, test.size(), 100 * accuracy);
        check(Double.isFinite(losses.getLast()), "the loss stays finite");
        check(quick || accuracy > 0.7, "under a minute of training beats chance by far");
        System.out.printf("lesson 5 ok: im2col + GEMM = convolution; trained to %.1f%% test accuracy%n", 100 * accuracy);
    }

    static double accuracy(Module model, Dataset test) {
        model.eval();
        int correct = 0;
        try (var noGrad = Autograd.noGrad();
                DataLoader loader = DataLoader.builder().setDataset(test).setBatchSize(128).setSeed(0).build()) {
            for (Batch batch : loader.epoch(0)) {
                Tensor predicted = model.forward(new Variable(batch.images())).data().argmax(1, false);
                for (int i = 0; i < batch.size(); i++) {
                    correct += (int) predicted.get(i) == batch.labels()[i] ? 1 : 0;
                }
            }
        }
        return (double) correct / test.size();
    }

    /** The loss per step as rows of blocks, averaged over groups of steps: the picture of a loss curve. */
    static void printCurve(List<Double> losses) {
        int groups = Math.min(12, losses.size());
        int per = losses.size() / groups;
        double top = 0;
        double[] means = new double[groups];
        for (int g = 0; g < groups; g++) {
            for (int s = g * per; s < (g + 1) * per; s++) {
                means[g] += losses.get(s) / per;
            }
            top = Math.max(top, means[g]);
        }
        System.out.println("loss per group of " + per + " steps:");
        for (int g = 0; g < groups; g++) {
            System.out.printf("  %4d %-40s %.3f%n", (g + 1) * per, "█".repeat((int) Math.round(40 * means[g] / top)),
                    means[g]);
        }
    }

    static int[] range(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }

    static String rounded(Tensor t) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < t.numel(); i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("%.2f", t.get(i)));
        }
        return s.append(']').toString();
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 5: expected that " + claim);
        }
    }
}
