package vista.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.torch.WeightFileException;

/**
 * The formats of weight files Vista reads, each recognised by its first bytes:
 * <ul>
 *   <li>{@link #TORCH_ZIP}: {@code PK\3\4}, the zip archive {@code torch.save} writes since torch 1.6;</li>
 *   <li>{@link #TORCH_LEGACY}: the byte 0x80 (a pickle's PROTO opcode), torch.save before 1.6;</li>
 *   <li>{@link #VISTA}: the ASCII magic {@value Checkpoint#MAGIC} of a Vista checkpoint;</li>
 *   <li>{@link #SAFETENSORS}: an 8-byte little-endian header length whose header (byte 8) starts with
 *       {@code '{'}.</li>
 * </ul>
 */
public enum WeightFormat {
    TORCH_ZIP("a PyTorch zip archive"),
    TORCH_LEGACY("a legacy PyTorch file"),
    SAFETENSORS("a safetensors file"),
    VISTA("a Vista checkpoint");

    private static final int HEAD_BYTES = 9;

    private final String description;

    WeightFormat(String description) {
        this.description = description;
    }

    /** What the format is, in words ("a safetensors file"). */
    public String description() {
        return description;
    }

    /**
     * The format of {@code file}, from its first 9 bytes.
     *
     * @throws WeightFileException naming the file and its first bytes if it is none of the formats, or
     *     naming the file if it cannot be read
     */
    public static WeightFormat of(Path file) throws WeightFileException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (NoSuchFileException e) {
            throw new WeightFileException(file.toString(), "no such file; give the path of a weight file"
                    + " (.pth, .pt, .safetensors or a Vista .vckp)", e);
        } catch (IOException e) {
            throw new WeightFileException(file.toString(), "cannot be read (" + e.getMessage() + ")", e);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TORCH_ZIP;
        }
        if (head.length > 0 && (head[0] & 0xFF) == 0x80) {
            return TORCH_LEGACY;
        }
        if (head.length >= Checkpoint.MAGIC.length() && new String(head, 0, Checkpoint.MAGIC.length(),
                StandardCharsets.US_ASCII).equals(Checkpoint.MAGIC)) {
            return VISTA;
        }
        if (head.length == HEAD_BYTES && head[HEAD_BYTES - 1] == '{') {
            return SAFETENSORS;
        }
        throw new WeightFileException(file.toString(), "not a weight file Vista reads: it starts with the bytes "
                + (head.length == 0 ? "(none; the file is empty)" : HexFormat.ofDelimiter(" ").formatHex(head))
                + ", which begin none of a PyTorch zip archive (\"PK\\3\\4\"), a legacy PyTorch pickle (0x80),"
                + " a safetensors file (8-byte length, then '{') or a Vista checkpoint (\"" + Checkpoint.MAGIC
                + "\"); give a .pth, .pt, .safetensors or .vckp file");
    }
}
