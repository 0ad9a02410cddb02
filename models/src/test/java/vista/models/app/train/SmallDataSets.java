package vista.models.app.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import vista.tensor.Rng;

/** Writes small data sets in the forms {@code --data} reads ({@link TrainingData}), for quick runs in tests. */
public final class SmallDataSets {
    private SmallDataSets() {
    }

    /**
     * Writes a small Fashion-MNIST-like data set (the four IDX files, uncompressed) of {@code size x size}
     * grey images into {@code folder}: class c shows stripes with a period of 2 + c mod 5 pixels,
     * horizontal for c below 5 and vertical above, over a little noise; labels cycle through 0 to 9.
     * Returns the folder, for {@code --data}.
     */
    public static Path stripes(Path folder, int train, int test, int size) throws IOException {
        Files.createDirectories(folder);
        Rng rng = new Rng(7);
        write(folder, "train", train, size, rng);
        write(folder, "t10k", test, size, rng);
        return folder;
    }

    /**
     * Writes CIFAR-10's binary files ({@code data_batch_1.bin} to {@code data_batch_5.bin} with
     * {@code perFile} records each, {@code test_batch.bin} with {@code test}) of random pixels into
     * {@code folder/cifar-10-batches-bin}, as the archive unpacks; labels cycle through 0 to 9. Returns
     * {@code folder}, for {@code --data cifar10:FOLDER}.
     */
    public static Path cifar10(Path folder, int perFile, int test) throws IOException {
        Path unpacked = Files.createDirectories(folder.resolve("cifar-10-batches-bin"));
        Rng rng = new Rng(11);
        for (int f = 1; f <= 6; f++) {
            int count = f <= 5 ? perFile : test;
            byte[] records = new byte[count * 3073];
            for (int r = 0; r < count; r++) {
                records[r * 3073] = (byte) (r % 10);
                for (int k = 1; k < 3073; k++) {
                    records[r * 3073 + k] = (byte) rng.nextInt(256);
                }
            }
            Files.write(unpacked.resolve(f <= 5 ? "data_batch_" + f + ".bin" : "test_batch.bin"), records);
        }
        return folder;
    }

    private static void write(Path folder, String prefix, int count, int size, Rng rng) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + count * size * size);
        images.putInt(0x803).putInt(count).putInt(size).putInt(size);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            int c = i % 10;
            labels.put((byte) c);
            int period = 2 + c % 5;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int along = c < 5 ? y : x;
                    int stripe = (along / period) % 2 == 0 ? 170 : 0;
                    images.put((byte) (stripe + rng.nextInt(60)));
                }
            }
        }
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
