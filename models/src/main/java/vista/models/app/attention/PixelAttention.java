package vista.models.app.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.sasa.LocalSelfAttention2d;
import vista.nn.Module;
import vista.tensor.Tensor;

/**
 * Where one pixel of an input image looks, in one attention layer of a model: the attention weights of
 * each head over the {@code k x k} neighbourhood of the layer's feature-map cell under that pixel.
 *
 * <p><b>From image pixel to feature cell.</b> A layer deep in a network sees an {@code h x w} feature map
 * of the {@code H x W} image (at stride 2 the attention runs at the layer's input resolution, before
 * the pool). Pixel (row, column) belongs to the cell
 * <pre>
 *   (row h / H, column w / W), rounded down,
 * </pre>
 * and cell (i, j) covers the image rows from {@code ceil(i H / h)} up to {@code ceil((i + 1) H / h)}
 * (exclusive), the columns likewise: on a 7x7 map of a 28x28 image, each cell is a 4x4 block. This is
 * a picture of the layout, not of what a cell depends on: after a few 3x3 or 7x7 layers every cell has
 * seen far more of the image than its block.
 *
 * <p><b>The neighbourhood.</b> Neighbour (a, e), {@code a, e} in {@code [0, k)}, of cell (i, j) is the
 * cell {@code (i + a - r, j + e - r)}, {@code r = k / 2}; its weight is {@code weights[head][a k + e]}
 * (the layout of {@link LocalSelfAttention2d.Capture#weights()}). With the masked border, neighbours
 * outside the map have weight 0 and the weights of each head sum to 1 over the others.
 *
 * @param layerName   the layer's module path, e.g. {@code layer1.0.conv2}
 * @param layer       the layer
 * @param layerInput  the layer's input for this image, {@code (1, C_in, h, w)}
 * @param imageHeight H
 * @param imageWidth  W
 * @param row         the pixel's row in the image
 * @param column      the pixel's column in the image
 * @param cellRow     the row of the feature cell under the pixel
 * @param cellColumn  the column of the feature cell under the pixel
 * @param weights     per head, the {@code k*k} weights of the cell's neighbours
 */
public record PixelAttention(String layerName, LocalSelfAttention2d layer, Tensor layerInput, int imageHeight,
                             int imageWidth, int row, int column, int cellRow, int cellColumn, float[][] weights)
        implements WindowWeights {

    /**
     * Every {@link LocalSelfAttention2d} in {@code model}, by module path, in registration order (the
     * order of the forward pass in Vista's models).
     */
    public static Map<String, LocalSelfAttention2d> attentionLayers(Module model) {
        Map<String, LocalSelfAttention2d> found = new LinkedHashMap<>();
        collect("", model, found);
        return found;
    }

    private static void collect(String path, Module module, Map<String, LocalSelfAttention2d> found) {
        if (module instanceof LocalSelfAttention2d attention) {
            found.put(path, attention);
        }
        module.children().forEach((name, child) -> collect(path.isEmpty() ? name : path + "." + name, child, found));
    }

    /**
     * Runs {@code model} in evaluation mode, without gradients, on {@code image} {@code (1, C, H, W)}
     * (prepared as in training), capturing the weights of {@code layer}, and returns those of the cell
     * under pixel (row, column), with the model's output.
     *
     * @throws IllegalArgumentException if the pixel lies outside the image
     * @throws IllegalStateException if the layer does not run in the model's forward pass
     */
    public static Observation observe(Module model, String layerName, LocalSelfAttention2d layer, Tensor image, int row,
            int column) {
        int height = image.dims()[2];
        int width = image.dims()[3];
        if (row < 0 || row >= height || column < 0 || column >= width) {
            throw new IllegalArgumentException("pixel (" + row + ", " + column + ") is outside the " + height + " x "
                    + width + " image (rows 0 to " + (height - 1) + ", columns 0 to " + (width - 1) + ")");
        }
        model.eval();
        Tensor output;
        Tensor input;
        Tensor all;
        try (var scope = Autograd.noGrad(); LocalSelfAttention2d.Capture capture = layer.captureWeights()) {
            output = model.forward(new Variable(image)).data();
            input = capture.input();
            all = capture.weights();
        }
        int[] dims = all.dims();
        int heads = dims[1];
        int neighbours = dims[2];
        int mapHeight = dims[3];
        int mapWidth = dims[4];
        int cellRow = row * mapHeight / height;
        int cellColumn = column * mapWidth / width;
        float[] p = all.toFloatArray();
        float[][] weights = new float[heads][neighbours];
        for (int head = 0; head < heads; head++) {
            for (int n = 0; n < neighbours; n++) {
                weights[head][n] = p[((head * neighbours + n) * mapHeight + cellRow) * mapWidth + cellColumn];
            }
        }
        PixelAttention attention = new PixelAttention(layerName, layer, input, height, width, row, column, cellRow,
                cellColumn, weights);
        return new Observation(attention, output);
    }

    /** What {@link #observe} returns: the pixel's attention and the model's output {@code (1, classes)}. */
    public record Observation(PixelAttention attention, Tensor output) {
    }

    public int heads() {
        return weights.length;
    }

    /** The side k of the neighbourhood. */
    @Override
    public int kernelSize() {
        return layer.window().kernelSize();
    }

    /** h, the height of the map the attention runs on. */
    @Override
    public int mapHeight() {
        return layerInput.dims()[2];
    }

    /** w, the width of the map the attention runs on. */
    @Override
    public int mapWidth() {
        return layerInput.dims()[3];
    }

    /** One panel per head. */
    @Override
    public int panels() {
        return heads();
    }

    @Override
    public float[] panel(int p) {
        return weights[p];
    }

    @Override
    public String panelTitle(int p) {
        return String.format(Locale.ROOT, "head %d, max %.3f", p + 1, largestWeight(p));
    }

    @Override
    public String scaleName() {
        return "the head's max";
    }

    /** The sum of {@code head}'s weights over the neighbours on the map (1 with the masked border). */
    public double weightOnMap(int head) {
        int k = kernelSize();
        double sum = 0;
        for (int n = 0; n < k * k; n++) {
            if (onMap(n / k, n % k)) {
                sum += weights[head][n];
            }
        }
        return sum;
    }

    /** The largest weight of {@code head}. */
    public float largestWeight(int head) {
        float largest = 0;
        for (float w : weights[head]) {
            largest = Math.max(largest, w);
        }
        return largest;
    }
}
