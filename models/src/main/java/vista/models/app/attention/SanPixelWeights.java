package vista.models.app.attention;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.nn.Module;
import vista.nn.san.PairwiseSelfAttention2d;
import vista.nn.san.SanSelfAttention2d;
import vista.tensor.Tensor;

/**
 * Where one pixel of an input image looks in one SAN block: the block's weights α over the footprint of
 * the feature-map cell under that pixel ({@link SanSelfAttention2d.Capture}), mapped to the image as
 * {@link PixelAttention} maps SASA's.
 *
 * <ul>
 *   <li><b>Pairwise</b> blocks: α is a softmax over the K = k*k footprint positions for each weight
 *       channel; weight channel cw weights the value channels c with c mod Cw = cw, a <i>group</i>. One
 *       panel per group (the first {@value #MAX_PANELS}, or the one chosen); each group's weights sum to
 *       1 over the footprint, the positions beyond the border (which read reflected pixels) included.</li>
 *   <li><b>Patchwise</b> blocks: α is γ's output as it is, a vector of Cw weights per neighbour, not
 *       normalised. One panel: per neighbour the Euclidean norm of its vector, or the weight of one chosen
 *       channel.</li>
 * </ul>
 *
 * @param layerName the block's module path, e.g. {@code layer2.0.sam}
 * @param block     the block
 * @param mapHeight h
 * @param mapWidth  w
 * @param imageHeight H
 * @param imageWidth  W
 * @param row       the pixel's row in the image
 * @param column    the pixel's column in the image
 * @param cellRow   the row of the feature cell under the pixel
 * @param cellColumn the column of the feature cell under the pixel
 * @param alpha     per weight channel, the K weights of the cell's footprint
 * @param channel   the chosen weight channel, or null (pairwise: the first groups; patchwise: the norm)
 */
public record SanPixelWeights(String layerName, SanSelfAttention2d block, int mapHeight, int mapWidth,
                              int imageHeight, int imageWidth, int row, int column, int cellRow, int cellColumn,
                              float[][] alpha, Integer channel) implements WindowWeights {
    /** The most groups a pairwise picture shows without a chosen channel. */
    static final int MAX_PANELS = 8;

    /** Every SAN block in {@code model}, by module path, in registration order. */
    public static Map<String, SanSelfAttention2d> blocks(Module model) {
        Map<String, SanSelfAttention2d> found = new LinkedHashMap<>();
        collect("", model, found);
        return found;
    }

    private static void collect(String path, Module module, Map<String, SanSelfAttention2d> found) {
        if (module instanceof SanSelfAttention2d block) {
            found.put(path, block);
        }
        module.children().forEach((name, child) -> collect(path.isEmpty() ? name : path + "." + name, child, found));
    }

    /**
     * Runs {@code model} in evaluation mode, without gradients, on {@code image} {@code (1, C, H, W)},
     * capturing {@code block}'s α, and returns that of the cell under pixel (row, column) with the
     * model's output.
     *
     * @throws IllegalArgumentException if the pixel lies outside the image, or {@code channel} is not one
     *     of the block's weight channels
     */
    public static Observation observe(Module model, String layerName, SanSelfAttention2d block, Tensor image, int row,
            int column, Integer channel) {
        int height = image.dims()[2];
        int width = image.dims()[3];
        if (row < 0 || row >= height || column < 0 || column >= width) {
            throw new IllegalArgumentException("pixel (" + row + ", " + column + ") is outside the " + height + " x "
                    + width + " image (rows 0 to " + (height - 1) + ", columns 0 to " + (width - 1) + ")");
        }
        int weightChannels = block.shape().weightChannels();
        if (channel != null && (channel < 0 || channel >= weightChannels)) {
            throw new IllegalArgumentException(layerName + " has " + weightChannels + " weight "
                    + (weightChannels == 1 ? "channel (0)" : "channels (0 to " + (weightChannels - 1) + ")")
                    + ", so --channel " + channel + " does not exist");
        }
        model.eval();
        Tensor output;
        Tensor input;
        Tensor all;
        try (var scope = Autograd.noGrad(); SanSelfAttention2d.Capture capture = block.captureWeights()) {
            output = model.forward(new Variable(image)).data();
            input = capture.input();
            all = capture.weights();
        }
        int mapHeight = input.dims()[2];
        int mapWidth = input.dims()[3];
        int neighbours = all.dims()[2];
        int pixels = all.dims()[3];
        int cellRow = row * mapHeight / height;
        int cellColumn = column * mapWidth / width;
        float[] a = all.toFloatArray();
        float[][] alpha = new float[weightChannels][neighbours];
        for (int cw = 0; cw < weightChannels; cw++) {
            for (int n = 0; n < neighbours; n++) {
                alpha[cw][n] = a[(cw * neighbours + n) * pixels + cellRow * mapWidth + cellColumn];
            }
        }
        return new Observation(new SanPixelWeights(layerName, block, mapHeight, mapWidth, height, width, row, column,
                cellRow, cellColumn, alpha, channel), output);
    }

    /** What {@link #observe} returns: the pixel's weights and the model's output {@code (1, classes)}. */
    public record Observation(SanPixelWeights weights, Tensor output) {
    }

    /** Whether the block is pairwise (softmax weights), not patchwise. */
    public boolean pairwise() {
        return block instanceof PairwiseSelfAttention2d;
    }

    /** Cw, the block's weight channels. */
    public int weightChannels() {
        return alpha.length;
    }

    @Override
    public int kernelSize() {
        return block.shape().footprint().size();
    }

    @Override
    public int dilation() {
        return block.shape().footprint().dilation();
    }

    /** The weight channels drawn, one per panel. */
    public int[] drawnChannels() {
        if (channel != null) {
            return new int[] {channel};
        }
        if (!pairwise()) {
            return new int[0];
        }
        int[] first = new int[Math.min(MAX_PANELS, weightChannels())];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        return first;
    }

    @Override
    public int panels() {
        return pairwise() || channel != null ? drawnChannels().length : 1;
    }

    @Override
    public float[] panel(int p) {
        if (pairwise() || channel != null) {
            return alpha[drawnChannels()[p]];
        }
        float[] norms = new float[alpha[0].length];
        for (int n = 0; n < norms.length; n++) {
            double sum = 0;
            for (float[] weights : alpha) {
                sum += (double) weights[n] * weights[n];
            }
            norms[n] = (float) Math.sqrt(sum);
        }
        return norms;
    }

    @Override
    public String panelTitle(int p) {
        if (pairwise()) {
            return String.format(Locale.ROOT, "group %d, max %.3f", drawnChannels()[p], largest(p));
        }
        return channel != null ? String.format(Locale.ROOT, "channel %d, %.2f to %.2f", channel, smallest(p), largest(p))
                : String.format(Locale.ROOT, "norm of %d weights, max %.2f", weightChannels(), largest(p));
    }

    @Override
    public String scaleStart() {
        return !pairwise() && channel != null ? "min (or 0)" : "0";
    }

    @Override
    public String scaleName() {
        return pairwise() ? "the group's max" : "max";
    }

    /** The sum of panel {@code p}'s values over the whole footprint, positions beyond the border included. */
    public double footprintSum(int p) {
        double sum = 0;
        for (float v : panel(p)) {
            sum += v;
        }
        return sum;
    }

    /** The sum of panel {@code p}'s values over the footprint positions beyond the map's border. */
    public double beyondBorder(int p) {
        int k = kernelSize();
        float[] values = panel(p);
        double sum = 0;
        for (int n = 0; n < k * k; n++) {
            if (!onMap(n / k, n % k)) {
                sum += values[n];
            }
        }
        return sum;
    }
}
