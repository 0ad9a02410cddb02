package vista.nn.weights.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vista.tensor.Tensor;

/**
 * Reads PyTorch weight files ({@code torch.save} output) without Python: the zip archive of torch 1.6
 * and later ({@link ZipArchive}) and the legacy format before it ({@link LegacyArchive}), recognised by
 * their first bytes, not their names.
 *
 * <p>{@link #read} gives the file's value as inert Java values (see {@link Unpickler}); {@link #stateDict}
 * finds the state dict in it and materialises its tensors. The state dict is the first of: the object
 * itself if it is a dict whose values are all tensors; otherwise its entry {@code state_dict},
 * {@code model} or {@code module}, searched the same way (the official SAN checkpoint is
 * {@code {epoch, state_dict, optimizer, scheduler, top1_val, top5_val}}). When every name carries the
 * {@code module.} prefix of (Distributed)DataParallel, the prefix is removed.
 *
 * <p>Tensors may share storages (tied weights, views at offsets), but all of them together may hold at
 * most {@value #SHARING_LIMIT} times the elements of their storages: a few bytes of pickle could otherwise
 * make thousands of copies of one large storage.
 */
public final class TorchWeights {
    private static final List<String> WRAPPERS = List.of("state_dict", "model", "module");
    private static final String PARALLEL_PREFIX = "module.";
    private static final long SHARING_LIMIT = 4;

    private TorchWeights() {
    }

    /**
     * The value the file holds: maps, lists, {@link PickleTuple}s, scalars and {@link TensorRef}s. The
     * pickles and the file's structure are checked; the tensors are descriptions whose fit to their
     * storages is checked when {@link #stateDict} reads them.
     */
    public static Object read(Path file) throws WeightFileException {
        try (TorchArchive archive = open(file)) {
            return archive.root();
        }
    }

    /**
     * The state dict in {@code file}, by name in the file's order, each tensor contiguous and checked
     * against its storage (see {@link TensorMaterialiser} for the element types).
     *
     * @throws WeightFileException if the file is not a PyTorch checkpoint, is damaged, names anything
     *                             outside the unpickler's allowlist, or holds no state dict
     */
    public static LinkedHashMap<String, Tensor> stateDict(Path file) throws WeightFileException {
        try (TorchArchive archive = open(file)) {
            Map<?, ?> found = find(archive.root(), 0);
            if (found == null) {
                throw new WeightFileException(file.toString(), "no state dict found: expected a dict of tensors,"
                        + " or one under the key state_dict, model or module; the file holds " + summary(archive.root()));
            }
            boolean parallel = found.keySet().stream().allMatch(k -> ((String) k).startsWith(PARALLEL_PREFIX));
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            Set<String> storages = new HashSet<>();
            long stored = 0;
            long copied = 0;
            for (Map.Entry<?, ?> e : found.entrySet()) {
                String name = (String) e.getKey();
                TensorRef ref = (TensorRef) e.getValue();
                if (storages.add(ref.storage().key())) {
                    stored += ref.storage().elements();
                }
                Tensor t = TensorMaterialiser.materialise(file.toString(), name, ref, archive.storage(ref.storage()));
                copied += t.numel();
                if (copied > SHARING_LIMIT * stored + SHARING_LIMIT) {
                    throw new WeightFileException(file.toString(), "its tensors up to '" + name + "' hold " + copied
                            + " elements, over " + SHARING_LIMIT + " times the " + stored + " of their storages"
                            + " (tensors that overlap that much are not weights)");
                }
                out.put(parallel ? name.substring(PARALLEL_PREFIX.length()) : name, t);
            }
            return out;
        }
    }

    private static TorchArchive open(Path file) throws WeightFileException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            throw new WeightFileException(file.toString(), "unreadable: " + e.getMessage(), e);
        }
        if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZipArchive.open(file);
        }
        if (head.length > 0 && (head[0] & 0xFF) == 0x80) {
            return LegacyArchive.open(file);
        }
        throw new WeightFileException(file.toString(), "not a PyTorch weight file: it starts with the bytes "
                + HexFormat.ofDelimiter(" ").formatHex(head) + ", neither a zip archive (torch.save since 1.6,"
                + " \"PK\") nor a pickle (before 1.6, 0x80)");
    }

    private static Map<?, ?> find(Object value, int depth) {
        if (!(value instanceof Map<?, ?> map) || depth > WRAPPERS.size()) {
            return null;
        }
        boolean tensors = !map.isEmpty() && map.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorRef);
        if (tensors) {
            return map;
        }
        for (String key : WRAPPERS) {
            Map<?, ?> inner = find(map.get(key), depth + 1);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private static String summary(Object root) {
        if (root instanceof Map<?, ?> map) {
            return "a dict with the keys " + map.keySet().stream().limit(10).toList()
                    + (map.size() > 10 ? " and " + (map.size() - 10) + " more" : "");
        }
        return root == null ? "None" : "a " + root.getClass().getSimpleName();
    }
}
