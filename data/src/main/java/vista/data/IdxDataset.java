package vista.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an MNIST-like pair of IDX files into a {@link Dataset}: an image file of shape
 * (count, rows, columns) and a label file of shape (count), both of unsigned bytes (see {@link IdxFile}
 * for the format). Images get one channel.
 *
 * <p>Checked, each with a {@link DataFileException} naming the file: each file on its own (magic number,
 * type, truncation), the number of dimensions, that images have at least one row and one column, that both
 * files hold the same count, and that every label lies in {@code [0, classNames.size())}.
 */
public final class IdxDataset {
    private IdxDataset() {
    }

    /**
     * Reads {@code images} and {@code labels} (gzipped or not).
     *
     * @param name       the data set's name in messages, e.g. "Fashion-MNIST train"
     * @param classNames one name per class, indexed by label
     */
    public static Dataset read(String name, Path images, Path labels, List<String> classNames)
            throws DataFileException {
        IdxFile imageFile = IdxFile.read(images, "image");
        if (imageFile.dims().length != 3) {
            throw new DataFileException(images, "expected 3 dimensions (count, rows, columns) for images,"
                    + " the header declares " + imageFile.dims().length + ": " + Arrays.toString(imageFile.dims()));
        }
        if (imageFile.dims()[1] == 0 || imageFile.dims()[2] == 0) {
            throw new DataFileException(images, "the header declares images of " + imageFile.dims()[1] + " x "
                    + imageFile.dims()[2] + " pixels (rows x columns, at bytes 8 to 15); an image needs at least one"
                    + " row and one column");
        }
        IdxFile labelFile = IdxFile.read(labels, "label");
        if (labelFile.dims().length != 1) {
            throw new DataFileException(labels, "expected 1 dimension (count) for labels,"
                    + " the header declares " + labelFile.dims().length + ": " + Arrays.toString(labelFile.dims()));
        }
        int count = imageFile.dims()[0];
        if (labelFile.dims()[0] != count) {
            throw new DataFileException(labels, "holds " + labelFile.dims()[0] + " labels but "
                    + images.toAbsolutePath().normalize() + " holds " + count + " images; the two files must describe"
                    + " the same samples");
        }
        if (count == 0) {
            throw new DataFileException(images, "the header declares 0 images; a data set needs at least one");
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = labelFile.get(i);
            if (y[i] >= classNames.size()) {
                throw new DataFileException(labels, "label " + y[i] + " of sample " + i + " at byte "
                        + (labelFile.dataOffset() + i) + " is out of range: expected 0 to "
                        + (classNames.size() - 1) + " (" + classNames.size() + " classes)");
            }
        }
        int rows = imageFile.dims()[1];
        int columns = imageFile.dims()[2];
        byte[] pixels = Arrays.copyOfRange(imageFile.bytes(), imageFile.dataOffset(),
                imageFile.dataOffset() + count * rows * columns);
        return new Dataset(name, 1, rows, columns, pixels, y, classNames);
    }
}
