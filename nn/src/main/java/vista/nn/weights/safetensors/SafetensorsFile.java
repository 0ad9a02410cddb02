package vista.nn.weights.safetensors;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.tensor.Tensor;

/**
 * What a safetensors file holds, as read by {@link Safetensors#read}.
 *
 * @param file     the file read
 * @param tensors  the tensors by name, in the header's order (a Vista tensor each: float32 for F32, F16
 *                 and BF16, float64 for F64 and the integer types; see {@link SafetensorsDType})
 * @param dtypes   each tensor's type as the file stored it ("F32", "I64", ...), in the same order
 * @param metadata the header's {@code __metadata__} (empty if it has none)
 */
public record SafetensorsFile(Path file, Map<String, Tensor> tensors, Map<String, String> dtypes,
        Map<String, String> metadata) {
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
