package vista.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import vista.tensor.fuzz.Field;

/** PNG and JPEG files for the fuzz tests: encoding, the formats' integer fields, PNG's checksums. */
final class ImageFiles {
    private static final int PNG_SIGNATURE = 8;

    private ImageFiles() {
    }

    /** An RGB image whose pixel (x, y) is (40 x + 1, 30 y + 2, 7 x + 5 y). */
    static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (40 * x + 1 & 0xFF) << 16 | (30 * y + 2 & 0xFF) << 8 | (7 * x + 5 * y & 0xFF));
            }
        }
        return image;
    }

    /** {@code image} encoded by javax.imageio as {@code format} ("png" or "jpeg"). */
    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The length of every chunk, and the header's width, height, bit depth, colour type and methods. */
    static List<Field> pngFields(byte[] png) {
        List<Field> fields = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        for (int at = PNG_SIGNATURE; at + 8 <= png.length; at += 12 + b.getInt(at)) {
            String type = new String(png, at + 4, 4, StandardCharsets.US_ASCII);
            fields.add(Field.int32BigEndian(type + " chunk length", at));
            if (type.equals("IHDR")) {
                fields.add(Field.int32BigEndian("IHDR width", at + 8));
                fields.add(Field.int32BigEndian("IHDR height", at + 12));
                fields.add(Field.uint8("IHDR bit depth", at + 16));
                fields.add(Field.uint8("IHDR colour type", at + 17));
                fields.add(Field.uint8("IHDR compression method", at + 18));
                fields.add(Field.uint8("IHDR filter method", at + 19));
                fields.add(Field.uint8("IHDR interlace method", at + 20));
            }
        }
        return fields;
    }

    /** (width, height) of a PNG's header. */
    static int[] pngSize(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        return new int[] {b.getInt(PNG_SIGNATURE + 8), b.getInt(PNG_SIGNATURE + 12)};
    }

    /**
     * {@code png} with every chunk's CRC-32 recomputed, so that changes inside chunks reach the decoder;
     * stops at the first chunk whose length runs past the end.
     */
    static byte[] recomputeCrcs(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        for (int at = PNG_SIGNATURE; at + 8 <= png.length; ) {
            long length = Integer.toUnsignedLong(b.getInt(at));
            if (at + 12 + length > png.length) {
                break;
            }
            CRC32 crc = new CRC32();
            crc.update(png, at + 4, 4 + (int) length);
            b.putInt(at + 8 + (int) length, (int) crc.getValue());
            at += 12 + (int) length;
        }
        return png;
    }

    /** The length of every segment before the scan, and the frame header's precision, size and components. */
    static List<Field> jpegFields(byte[] jpeg) {
        List<Field> fields = new ArrayList<>();
        for (int at = 2; at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF; ) {
            int marker = jpeg[at + 1] & 0xFF;
            Field length = new Field(String.format("FF%02X segment length", marker), at + 2, 2,
                    ByteOrder.BIG_ENDIAN);
            fields.add(length);
            if (marker == 0xC0 || marker == 0xC2) {
                fields.add(Field.uint8("frame precision", at + 4));
                fields.add(new Field("frame height", at + 5, 2, ByteOrder.BIG_ENDIAN));
                fields.add(new Field("frame width", at + 7, 2, ByteOrder.BIG_ENDIAN));
                fields.add(Field.uint8("frame components", at + 9));
            }
            if (marker == 0xDA) {
                break;
            }
            at += 2 + (int) length.read(jpeg);
        }
        return fields;
    }
}
