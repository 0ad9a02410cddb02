package vista.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image-folder data set (the layout of ImageNet and of torchvision's {@code ImageFolder}) into
 * a {@link Dataset}:
 * <pre>
 *   root/
 *     class_a/  img1.png  img2.jpg ...
 *     class_b/  ...
 * </pre>
 * <ul>
 *   <li><b>Classes</b>: the sub-folders of {@code root} (hidden ones, starting with ".", are skipped),
 *       sorted by name ({@link String#compareTo}, i.e. by UTF-16 code unit); label {@code k} is the k-th
 *       name. Each class folder must hold at least one image.</li>
 *   <li><b>Images</b>: the files ending in .png, .jpg or .jpeg (any case) in each class folder (not in
 *       deeper folders), sorted by name; other files are ignored. They are decoded by
 *       {@code javax.imageio}, once the size in the file's header is known to be one its bytes can
 *       describe (see {@link #PIXELS_PER_FILE_BYTE}); a file it cannot decode is a
 *       {@link DataFileException} naming it, as is one that cannot take the requested geometry (too
 *       small for the crop, too extreme an aspect ratio), unless {@link Options#skippingUnreadable()} asks
 *       to leave such "unreadable" files out: then {@link #readReporting} lists them and the data set's
 *       name counts them (at least one image must remain).
 *       Samples are numbered class by class, each class's files in name order.</li>
 *   <li><b>Colour</b>: {@link ColorMode#RGB} gives 3 channels (R, G, B): grey images repeat their grey
 *       value in all three. {@link ColorMode#GRAYSCALE} gives 1 channel: grey images keep their value
 *       (16-bit grey is scaled to 8 bits with rounding); colour images become the ITU-R 601 luma
 *       {@code (299 R + 587 G + 114 B + 500) / 1000} (integer division), as Pillow's "L" conversion.
 *       Colour images are read as sRGB through {@link BufferedImage#getRGB}, which also expands palettes.
 *       Alpha is ignored (the colour values are kept as they are, not blended with any background), as
 *       Pillow's {@code convert("RGB")} does.</li>
 *   <li><b>Geometry</b>: optionally the image is resized so its shorter side is {@code S} (bilinear, see
 *       {@link ImageResize}), then optionally the central {@code C x C} window is cut out (the corner at
 *       {@code floor((side - C) / 2)}): ImageNet's usual evaluation geometry is S = 256, C = 224.
 *       Without a crop every image must end up with the same size, else a {@link DataFileException}
 *       names the two files that differ.</li>
 * </ul>
 * Decoding runs in parallel on Vista's pool, one tile per image, each writing its own slot; errors are
 * reported for the first bad file in sample order.
 */
public final class ImageFolder {

    /** How many channels to make. */
    public enum ColorMode {
        /** 3 channels: red, green, blue. */
        RGB(3),
        /** 1 channel: grey. */
        GRAYSCALE(1);

        private final int channels;

        ColorMode(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }

    /**
     * How to read the images.
     *
     * @param color   the channels to produce
     * @param resize  the length of the shorter side after resizing, or 0 to keep the size
     * @param crop    the side of the central square to keep, or 0 to keep the whole image
     * @param skipUnreadable whether a file that cannot be decoded is left out (listed by
     *                {@link #readReporting}) rather than refused
     */
    public record Options(ColorMode color, int resize, int crop, boolean skipUnreadable) {
        public Options {
            if (resize < 0 || crop < 0) {
                throw new IllegalArgumentException("ImageFolder.Options: resize and crop must be >= 0 (0: none), got "
                        + resize + " and " + crop);
            }
            if (resize > 0 && crop > resize) {
                throw new IllegalArgumentException("ImageFolder.Options: a crop of " + crop
                        + " does not fit in images resized to a shorter side of " + resize);
            }
        }

        /** RGB, original size. */
        public static Options rgb() {
            return new Options(ColorMode.RGB, 0, 0, false);
        }

        /** Grey, original size. */
        public static Options grayscale() {
            return new Options(ColorMode.GRAYSCALE, 0, 0, false);
        }

        /** These options, with the shorter side resized to {@code shorterSide}. */
        public Options resize(int shorterSide) {
            return new Options(color, shorterSide, crop, skipUnreadable);
        }

        /** These options, keeping the central {@code size x size} square. */
        public Options centreCrop(int size) {
            return new Options(color, resize, size, skipUnreadable);
        }

        /** These options, leaving out the files that cannot be decoded. */
        public Options skippingUnreadable() {
            return new Options(color, resize, crop, true);
        }
    }

    /**
     * The most pixels one byte of a PNG or JPEG file can describe, with a margin: deflate expands at most
     * 1032 times and a 1-bit PNG packs 8 pixels in a byte (about 8256 pixels per byte); a baseline JPEG
     * needs at least a bit or two per 8 x 8 block.
     */
    static final long PIXELS_PER_FILE_BYTE = 10_000;
    /** The most pixels of one image: its decoded samples (up to 4 a pixel) must fit in one Java array. */
    static final long MAX_PIXELS = DataFiles.MAX_ARRAY / 4;

    private ImageFolder() {
    }

    /**
     * What {@link #readReporting} read.
     *
     * @param dataset the images
     * @param files   every image file found, in sample order (the skipped ones included)
     * @param skipped the files left out because they could not be decoded, in sample order
     */
    public record Read(Dataset dataset, List<Path> files, List<Path> skipped) {
    }

    /** Reads every image under {@code root} as {@code options} say. */
    public static Dataset read(Path root, Options options) throws DataFileException {
        return readReporting(root, options).dataset();
    }

    /** Reads every image under {@code root} as {@code options} say, with the files found and skipped. */
    public static Read readReporting(Path root, Options options) throws DataFileException {
        Listing listing = list(root);
        List<String> classes = listing.classes();
        List<Path> files = listing.files();
        List<Integer> labels = listing.labels();
        int found = files.size();
        checkFits(root, found, options, DataFiles.MAX_ARRAY);
        byte[][] decodedFound = new byte[found][];
        int[][] sizesFound = new int[found][];
        DataFileException[] unreadable = new DataFileException[found];
        InOrder.Failure failure = InOrder.forEach(found, i -> {
            try {
                Decoded d = decode(files.get(i), options);
                decodedFound[i] = d.pixels;
                sizesFound[i] = new int[] {d.height, d.width};
            } catch (DataFileException e) {
                unreadable[i] = e;
            }
        });
        if (failure != null) {
            throw new DataFileException(files.get(failure.item()), "cannot be read: " + failure.cause(), failure.cause());
        }
        List<Path> skipped = new ArrayList<>();
        List<byte[]> decodedKept = new ArrayList<>();
        List<int[]> sizesKept = new ArrayList<>();
        List<Integer> labelsKept = new ArrayList<>();
        List<Path> filesKept = new ArrayList<>();
        for (int i = 0; i < found; i++) {
            if (unreadable[i] == null) {
                decodedKept.add(decodedFound[i]);
                sizesKept.add(sizesFound[i]);
                labelsKept.add(labels.get(i));
                filesKept.add(files.get(i));
            } else if (options.skipUnreadable()) {
                skipped.add(files.get(i));
            } else {
                throw unreadable[i].withAdvice(" (to go on without such files, read the folder skipping unreadable"
                        + " files: vista's --skip-unreadable leaves them out and counts them)");
            }
        }
        if (decodedKept.isEmpty()) {
            throw new DataFileException(root, "holds no readable image: all " + found + " image files were skipped");
        }
        int n = decodedKept.size();
        byte[][] decoded = decodedKept.toArray(byte[][]::new);
        int[][] sizes = sizesKept.toArray(int[][]::new);
        for (int i = 1; i < n; i++) {
            if (sizes[i][0] != sizes[0][0] || sizes[i][1] != sizes[0][1]) {
                throw new DataFileException(filesKept.get(i), "is " + sizes[i][1] + " x " + sizes[i][0] + " pixels (width x height)"
                        + (options.resize() > 0 ? " after resizing" : "") + " but "
                        + filesKept.get(0).toAbsolutePath().normalize() + " is " + sizes[0][1] + " x " + sizes[0][0]
                        + "; give a centre crop (and a resize) to bring images of different sizes to one size");
            }
        }
        int channels = options.color().channels();
        long total = (long) n * decoded[0].length;
        if (total > DataFiles.MAX_ARRAY) {
            throw new DataFileException(root, n + " images of " + channels + " x " + sizes[0][0] + " x " + sizes[0][1]
                    + " need " + total + " bytes, more than one in-memory data set may hold");
        }
        byte[] pixels = new byte[(int) total];
        for (int i = 0; i < n; i++) {
            System.arraycopy(decoded[i], 0, pixels, i * decoded[0].length, decoded[0].length);
        }
        int[] y = labelsKept.stream().mapToInt(Integer::intValue).toArray();
        String name = "image folder " + root + (skipped.isEmpty() ? ""
                : " (" + skipped.size() + " unreadable " + (skipped.size() == 1 ? "file" : "files") + " skipped)");
        Dataset dataset = new Dataset(name, channels, sizes[0][0], sizes[0][1], pixels, y, classes);
        return new Read(dataset, List.copyOf(files), List.copyOf(skipped));
    }

    /**
     * With a crop the size of every image is known before decoding: refuses, before decoding anything, a
     * folder whose {@code images} would need more than {@code limit} bytes in memory.
     */
    static void checkFits(Path root, int images, Options options, long limit) throws DataFileException {
        if (options.crop() == 0) {
            return;
        }
        long each = (long) options.color().channels() * options.crop() * options.crop();
        if (images * each > limit) {
            throw new DataFileException(root, "holds " + images + " images; at " + options.color().channels() + " x "
                    + options.crop() + " x " + options.crop() + " they need " + images * each + " bytes, more than one"
                    + " in-memory data set may hold (" + limit + "); Vista reads an image folder into memory, so use a"
                    + " folder of at most " + limit / each + " images");
        }
    }

    /** The class names, and every image file with its label, in sample order. */
    record Listing(List<String> classes, List<Path> files, List<Integer> labels) {
    }

    /** Lists the classes and image files under {@code root}, refusing a folder without classes or a class without images. */
    static Listing list(Path root) throws DataFileException {
        List<String> classes = classFolders(root);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            List<Path> images = imageFiles(root, root.resolve(classes.get(k)));
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labels.add(k);
            }
        }
        return new Listing(classes, files, labels);
    }

    private static List<String> classFolders(Path root) throws DataFileException {
        if (!Files.isDirectory(root)) {
            throw new DataFileException(root, Files.exists(root) ? "is not a folder; an image-folder data set is a"
                    + " folder with one sub-folder of images per class" : "no such folder");
        }
        List<String> classes;
        try (Stream<Path> entries = Files.list(root)) {
            classes = entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataFileException(root, "cannot be listed: " + e.getMessage(), e);
        }
        if (classes.isEmpty()) {
            throw new DataFileException(root, "holds no class folder; an image-folder data set is a folder with one"
                    + " sub-folder of images per class");
        }
        return classes;
    }

    private static List<Path> imageFiles(Path root, Path folder) throws DataFileException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile)
                    .filter(p -> isImageName(p.getFileName().toString()))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DataFileException(folder, "cannot be listed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DataFileException(folder, "holds no .png, .jpg or .jpeg file, so class '"
                    + folder.getFileName() + "' of " + root.toAbsolutePath().normalize() + " would have no sample");
        }
        return files;
    }

    private static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
    }

    /** One decoded image, after resizing and cropping. */
    record Decoded(byte[] pixels, int height, int width) {
    }

    /** Decodes {@code file} and brings it to the geometry of {@code options}. */
    static Decoded decode(Path file, Options options) throws DataFileException {
        BufferedImage image = readImage(file);
        int h = image.getHeight();
        int w = image.getWidth();
        int channels = options.color().channels();
        byte[] pixels = channelPlanes(image, options.color());
        if (options.resize() > 0) {
            if (!ImageResize.fits(channels, h, w, options.resize(), DataFiles.MAX_ARRAY)) {
                throw new DataFileException(file, "is " + w + " x " + h + " pixels (width x height): resized to a"
                        + " shorter side of " + options.resize() + " it would hold more than one image may hold ("
                        + DataFiles.MAX_ARRAY + " bytes); leave out images of such an aspect ratio");
            }
            int[] size = ImageResize.shorterSideTo(h, w, options.resize());
            pixels = ImageResize.resize(pixels, channels, h, w, size[0], size[1]);
            h = size[0];
            w = size[1];
        }
        if (options.crop() > 0) {
            if (options.crop() > h || options.crop() > w) {
                throw new DataFileException(file, "is " + w + " x " + h + " pixels (width x height)"
                        + (options.resize() > 0 ? " after resizing" : "") + ", too small for a centre crop of "
                        + options.crop() + " x " + options.crop());
            }
            pixels = ImageResize.centreCrop(pixels, channels, h, w, options.crop());
            h = options.crop();
            w = options.crop();
        }
        return new Decoded(pixels, h, w);
    }

    /**
     * Decodes {@code file} with javax.imageio, after checking that the size its header declares is one
     * the file's bytes can describe (see {@link #PIXELS_PER_FILE_BYTE}): a damaged header must not make
     * the decoder allocate gigabytes.
     */
    static BufferedImage readImage(Path file) throws DataFileException {
        return withReader(file, reader -> reader.read(0));
    }

    /** The {height, width} that {@code file}'s header declares, checked as {@link #readImage} does, without decoding. */
    static int[] declaredSize(Path file) throws DataFileException {
        return withReader(file, reader -> new int[] {reader.getHeight(0), reader.getWidth(0)});
    }

    /** A step with a javax.imageio reader whose input is set and whose declared size is checked. */
    private interface ReaderStep<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path file, ReaderStep<T> step) throws DataFileException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataFileException(file, "is not an image that javax.imageio can decode (PNG or JPEG expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkDeclaredSize(file, reader.getWidth(0), reader.getHeight(0), Files.size(file));
                return step.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "cannot be decoded as an image: " + e.getMessage(), e);
        }
    }

    private static void checkDeclaredSize(Path file, int width, int height, long fileBytes) throws DataFileException {
        long pixels = (long) width * height;
        long most = Math.min(PIXELS_PER_FILE_BYTE * fileBytes, MAX_PIXELS);
        if (width <= 0 || height <= 0 || pixels > most) {
            throw new DataFileException(file, "its header declares " + Integer.toUnsignedLong(width) + " x "
                    + Integer.toUnsignedLong(height) + " pixels (width x height), more than a " + fileBytes
                    + "-byte PNG or JPEG can hold (at most " + PIXELS_PER_FILE_BYTE + " pixels per byte of file, and "
                    + MAX_PIXELS + " in all); the file is damaged");
        }
    }

    /** The image's pixels as CHW bytes in the requested colour mode. */
    static byte[] channelPlanes(BufferedImage image, ColorMode mode) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        byte[] out = new byte[mode.channels() * plane];
        ColorModel model = image.getColorModel();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1;
        if (grey) {
            int[] samples = image.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            int max = (1 << model.getComponentSize(0)) - 1;
            for (int p = 0; p < plane; p++) {
                byte v = (byte) (max == 255 ? samples[p] : Math.round(samples[p] * 255.0 / max));
                for (int c = 0; c < mode.channels(); c++) {
                    out[c * plane + p] = v;
                }
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < plane; p++) {
            int r = argb[p] >> 16 & 0xFF;
            int g = argb[p] >> 8 & 0xFF;
            int b = argb[p] & 0xFF;
            if (mode == ColorMode.RGB) {
                out[p] = (byte) r;
                out[plane + p] = (byte) g;
                out[2 * plane + p] = (byte) b;
            } else {
                out[p] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            }
        }
        return out;
    }
}
