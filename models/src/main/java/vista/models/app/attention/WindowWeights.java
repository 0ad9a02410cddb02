package vista.models.app.attention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link AttentionPicture} draws: values over the k x k window of one feature-map cell, in one or more
 * panels (SASA's heads, SAN's weight-channel groups, the norm of SAN's patchwise weight vectors), and
 * where that cell and window lie on the input image.
 *
 * <p>Neighbour (a, e), {@code a, e} in {@code [0, k)}, of cell (i, j) is the cell
 * {@code (i + (a - r) d, j + (e - r) d)}, {@code r = k / 2}, d the dilation; its value in panel p is
 * {@code panel(p)[a k + e]}. Cell (i, j) covers the image rows from {@code firstImageRow(i)} up to
 * {@code firstImageRow(i + 1)} (exclusive), the columns likewise ({@link PixelAttention} states the rule).
 */
public interface WindowWeights {
    /** One neighbour of the cell, at {@code (rowOffset, columnOffset)} cells from it, and its value. */
    record Neighbour(int rowOffset, int columnOffset, float weight) {
    }

    /** H, the image's height. */
    int imageHeight();

    /** W, the image's width. */
    int imageWidth();

    /** The chosen pixel's row in the image. */
    int row();

    /** The chosen pixel's column in the image. */
    int column();

    /** The row of the feature cell under the pixel. */
    int cellRow();

    /** The column of the feature cell under the pixel. */
    int cellColumn();

    /** h, the height of the map the layer runs on. */
    int mapHeight();

    /** w, the width of the map the layer runs on. */
    int mapWidth();

    /** The side k of the window. */
    int kernelSize();

    /** The step d between neighbours, in cells. */
    default int dilation() {
        return 1;
    }

    /** How many panels the picture has. */
    int panels();

    /** Panel {@code p}'s value for each neighbour, index {@code a k + e}. */
    float[] panel(int p);

    /** Panel {@code p}'s title, e.g. "head 1, max 0.421". */
    String panelTitle(int p);

    /** What the colour bar's bottom stands for: "0", or "min" when panels may hold negative values. */
    default String scaleStart() {
        return "0";
    }

    /** What the colour bar's top stands for, e.g. "the head's max". */
    String scaleName();

    /** The first image row that map row {@code cell} covers: {@code ceil(cell H / h)}; row h gives H. */
    default int firstImageRow(int cell) {
        return Math.ceilDiv(cell * imageHeight(), mapHeight());
    }

    /** The first image column that map column {@code cell} covers: {@code ceil(cell W / w)}; column w gives W. */
    default int firstImageColumn(int cell) {
        return Math.ceilDiv(cell * imageWidth(), mapWidth());
    }

    /** The map row of neighbour row {@code a}. */
    default int neighbourRow(int a) {
        return cellRow() + (a - kernelSize() / 2) * dilation();
    }

    /** The map column of neighbour column {@code e}. */
    default int neighbourColumn(int e) {
        return cellColumn() + (e - kernelSize() / 2) * dilation();
    }

    /** Whether neighbour (a, e) of the cell lies on the map. */
    default boolean onMap(int a, int e) {
        int i = neighbourRow(a);
        int j = neighbourColumn(e);
        return i >= 0 && i < mapHeight() && j >= 0 && j < mapWidth();
    }

    /** The largest of panel {@code p}'s values on the map (0 if none is positive). */
    default float largest(int p) {
        float[] values = panel(p);
        int k = kernelSize();
        float largest = 0;
        for (int n = 0; n < k * k; n++) {
            if (onMap(n / k, n % k)) {
                largest = Math.max(largest, values[n]);
            }
        }
        return largest;
    }

    /** The smallest of panel {@code p}'s values on the map, where its colour scale starts if below 0. */
    default float smallest(int p) {
        float[] values = panel(p);
        int k = kernelSize();
        float smallest = 0;
        for (int n = 0; n < k * k; n++) {
            if (onMap(n / k, n % k)) {
                smallest = Math.min(smallest, values[n]);
            }
        }
        return smallest;
    }

    /** The {@code count} neighbours on the map with the largest values in panel {@code p}, largest first. */
    default List<Neighbour> strongest(int p, int count) {
        int k = kernelSize();
        float[] values = panel(p);
        List<Neighbour> onMap = new ArrayList<>();
        for (int n = 0; n < k * k; n++) {
            if (onMap(n / k, n % k)) {
                onMap.add(new Neighbour(neighbourRow(n / k) - cellRow(), neighbourColumn(n % k) - cellColumn(), values[n]));
            }
        }
        onMap.sort(Comparator.comparingDouble(Neighbour::weight).reversed());
        return onMap.subList(0, Math.min(count, onMap.size()));
    }
}
