package vista.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import vista.data.Batch;
import vista.data.DataLoader;
import vista.data.Dataset;
import vista.data.Preprocess;
import vista.data.Transform;
import vista.tensor.Rng;
import vista.tensor.runtime.Parallel;

/**
 * The image pipeline alone, without a model: how many images per second the loader decodes, resizes, crops
 * and normalises from an ImageNet-style folder with {@code preprocess=imagenet}, for the training recipe
 * (random resized crop 224 and flip) and the evaluation recipe (shorter side 256, centre crop 224), on 1
 * thread and on the given threads. It also checks the promise that the batches' bits do not depend on the
 * thread count (a SHA-256 of every batch of each pass). If DIR has no {@code train} folder, it is filled
 * first with synthetic photographs: 2 classes of JPEG images of 500 x 375 pixels (ImageNet's most common
 * size), gradients and noise at ImageIO's default JPEG quality, in {@code train} and {@code val}.
 * <pre>
 *   ./vista bench-main vista.bench.LoaderThroughput /tmp/loader-images 2 256 64
 * </pre>
 * Arguments: the folder, the threads, the images per class to make (if it is made), the batch size.
 */
public final class LoaderThroughput {
    private static final int WIDTH = 500;
    private static final int HEIGHT = 375;

    private LoaderThroughput() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: LoaderThroughput DIR THREADS IMAGES_PER_CLASS BATCH, e.g."
                    + " /tmp/loader-images 2 256 64");
        }
        Path root = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int perClass = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        if (!Files.isDirectory(root.resolve("train"))) {
            makeImages(root, perClass);
        }
        System.out.printf(Locale.ROOT, "Image pipeline of %s (preprocess=imagenet), batch %d, %s%n", root, batch,
                System.getProperty("java.vm.version"));
        for (boolean training : new boolean[] {true, false}) {
            Dataset images = Preprocess.IMAGENET.read(root.resolve(training ? "train" : "val"), training, false)
                    .dataset();
            List<Transform> transforms = new ArrayList<>(training ? Preprocess.IMAGENET.augmentation() : List.of());
            transforms.add(Preprocess.imagenetNormalize());
            String digest = null;
            for (int t : threads == 1 ? new int[] {1, 1} : new int[] {1, threads, 1, threads}) {
                Parallel.setThreads(t);
                Pass pass = pass(images, transforms, batch);
                System.out.printf(Locale.ROOT, "  %-10s %d threads: %5d images in %6.2f s = %7.1f images/s%n",
                        training ? "training" : "evaluation", t, images.size(), pass.seconds,
                        images.size() / pass.seconds);
                if (digest != null && !digest.equals(pass.digest)) {
                    throw new IllegalStateException("the batches differ between thread counts: " + digest + " vs "
                            + pass.digest);
                }
                digest = pass.digest;
            }
            System.out.println("  same bits for every thread count: SHA-256 " + digest);
        }
    }

    private record Pass(double seconds, String digest) {
    }

    /** One epoch (epoch 0) through a loader with prefetch, timed, with the SHA-256 of every batch's floats. */
    private static Pass pass(Dataset images, List<Transform> transforms, int batch) {
        MessageDigest sha = sha256();
        long start = System.nanoTime();
        try (DataLoader loader = DataLoader.builder().setDataset(images).setBatchSize(batch).setRng(new Rng(1))
                .optTransforms(transforms).build()) {
            for (Batch b : loader.epoch(0)) {
                float[] floats = b.images().toFloatArray();
                byte[] bytes = new byte[floats.length * 4];
                for (int i = 0; i < floats.length; i++) {
                    int bits = Float.floatToRawIntBits(floats[i]);
                    bytes[4 * i] = (byte) bits;
                    bytes[4 * i + 1] = (byte) (bits >>> 8);
                    bytes[4 * i + 2] = (byte) (bits >>> 16);
                    bytes[4 * i + 3] = (byte) (bits >>> 24);
                }
                sha.update(bytes);
            }
        }
        return new Pass((System.nanoTime() - start) / 1e9, HexFormat.of().formatHex(sha.digest()));
    }

    /** Writes {@code perClass} synthetic photographs per class into {@code root/train} and {@code root/val}. */
    private static void makeImages(Path root, int perClass) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (String split : new String[] {"train", "val"}) {
            for (String label : new String[] {"cat", "dog"}) {
                Path folder = Files.createDirectories(root.resolve(split).resolve(label));
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
                    int tint = random.nextInt(1 << 24);
                    for (int y = 0; y < HEIGHT; y++) {
                        for (int x = 0; x < WIDTH; x++) {
                            int noise = random.nextInt(32);
                            int r = (x * 255 / WIDTH + noise + (tint >> 16)) & 0xFF;
                            int g = (y * 255 / HEIGHT + noise + (tint >> 8)) & 0xFF;
                            int b = ((x + y) * 255 / (WIDTH + HEIGHT) + noise + tint) & 0xFF;
                            image.setRGB(x, y, r << 16 | g << 8 | b);
                        }
                    }
                    ImageIO.write(image, "jpeg", folder.resolve(String.format(Locale.ROOT, "%05d.jpg", i)).toFile());
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
