package vista.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vista.tensor.Rng;

/**
 * An image folder (the layout, classes, colour and geometry of {@link ImageFolder}) whose images are
 * decoded when a {@link DataLoader} asks for them, in its threads, rather than all held in memory: the
 * way to use ImageNet-sized folders.
 *
 * <ul>
 *   <li><b>Geometry.</b> The options must have a crop, so every sample is {@code crop x crop}. The plain
 *       form of an image (no stream: evaluation) is {@link ImageFolder}'s: resize the shorter side, then
 *       the central crop. With a {@code randomCrop} and a loader's stream, the image is instead cut to
 *       {@link RandomResizedCrop#window} of the original decoded image and that window resized to
 *       {@code crop x crop} by {@link ImageResize#resize} (Pillow's bilinear bytes): torchvision's
 *       {@code RandomResizedCrop(crop)} on a PIL image, crop then resize.</li>
 *   <li><b>Checks up front.</b> Every file's header is read (not the image): a file that is no image,
 *       declares a size its bytes cannot hold, or is too small for the plain geometry is refused naming
 *       it, or, with {@link ImageFolder.Options#skippingUnreadable()}, left out and counted. A file whose
 *       header is sound but whose data is damaged is found only when it is loaded: the loader's batch then
 *       fails with the file's path in its message.</li>
 * </ul>
 */
public final class LazyImageFolder {
    private LazyImageFolder() {
    }

    /**
     * Lists the images under {@code root} and checks their headers.
     *
     * @param randomCrop the window drawn at load time when a loader passes a stream, or null for the plain
     *                   form always (an evaluation split)
     */
    public static ImageFolder.Read read(Path root, ImageFolder.Options options, RandomResizedCrop randomCrop)
            throws DataFileException {
        if (options.crop() == 0) {
            throw new IllegalArgumentException("LazyImageFolder: the options need a crop, so that every sample has"
                    + " one size; got " + options);
        }
        ImageFolder.Listing listing = ImageFolder.list(root);
        List<Path> found = listing.files();
        DataFileException[] unreadable = new DataFileException[found.size()];
        InOrder.Failure failure = InOrder.forEach(found.size(), i -> {
            try {
                checkHeader(found.get(i), options);
            } catch (DataFileException e) {
                unreadable[i] = e;
            }
        });
        if (failure != null) {
            throw new DataFileException(found.get(failure.item()), "cannot be read: " + failure.cause(), failure.cause());
        }
        List<Path> kept = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (unreadable[i] == null) {
                kept.add(found.get(i));
                labels.add(listing.labels().get(i));
            } else if (options.skipUnreadable()) {
                skipped.add(found.get(i));
            } else {
                throw unreadable[i].withAdvice(" (to go on without such files, read the folder skipping unreadable"
                        + " files: vista's --skip-unreadable leaves them out and counts them)");
            }
        }
        if (kept.isEmpty()) {
            throw new DataFileException(root, "holds no readable image: all " + found.size() + " image files were skipped");
        }
        String name = "image folder " + root + (skipped.isEmpty() ? ""
                : " (" + skipped.size() + " unreadable " + (skipped.size() == 1 ? "file" : "files") + " skipped)");
        int channels = options.color().channels();
        Dataset dataset = Dataset.lazy(name, channels, options.crop(), options.crop(),
                labels.stream().mapToInt(Integer::intValue).toArray(), listing.classes(),
                (k, rng, out) -> load(kept.get(k), options, rng == null ? null : randomCrop, rng, out));
        return new ImageFolder.Read(dataset, List.copyOf(found), List.copyOf(skipped));
    }

    private static void checkHeader(Path file, ImageFolder.Options options) throws DataFileException {
        int[] size = ImageFolder.declaredSize(file);
        int h = size[0];
        int w = size[1];
        if (options.resize() > 0 && !ImageResize.fits(options.color().channels(), h, w, options.resize(),
                DataFiles.MAX_ARRAY)) {
            throw new DataFileException(file, "is " + w + " x " + h + " pixels (width x height): resized to a"
                    + " shorter side of " + options.resize() + " it would hold more than one image may hold ("
                    + DataFiles.MAX_ARRAY + " bytes); leave out images of such an aspect ratio");
        }
        if (options.resize() == 0 && Math.min(h, w) < options.crop()) {
            throw new DataFileException(file, "is " + w + " x " + h + " pixels (width x height), too small for a"
                    + " centre crop of " + options.crop() + " x " + options.crop());
        }
    }

    private static void load(Path file, ImageFolder.Options options, RandomResizedCrop randomCrop,
            Rng rng, byte[] out) throws DataFileException {
        if (randomCrop == null) {
            byte[] pixels = ImageFolder.decode(file, options).pixels();
            System.arraycopy(pixels, 0, out, 0, out.length);
            return;
        }
        BufferedImage image = ImageFolder.readImage(file);
        int h = image.getHeight();
        int w = image.getWidth();
        int channels = options.color().channels();
        byte[] planes = ImageFolder.channelPlanes(image, options.color());
        int[] box = randomCrop.window(h, w, rng);
        byte[] window = ImageResize.crop(planes, channels, h, w, box[0], box[1], box[2], box[3]);
        byte[] resized = ImageResize.resize(window, channels, box[2], box[3], options.crop(), options.crop());
        System.arraycopy(resized, 0, out, 0, out.length);
    }
}
