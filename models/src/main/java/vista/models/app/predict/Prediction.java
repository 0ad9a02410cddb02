package vista.models.app.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A model's answer for one image: its logits z, the probabilities softmax(z)_i = exp(z_i - max z) /
 * sum_j exp(z_j - max z) (in double precision), and the {@code k} most probable classes, most probable
 * first, ties in class order.
 *
 * @param image  the image file
 * @param logits the model's outputs, one per class
 * @param top    the most probable classes
 */
public record Prediction(Path image, float[] logits, List<Ranked> top) {
    /**
     * One of the top classes.
     *
     * @param index       the class number (the model's output)
     * @param name        its name, or the number as text when the model has no names
     * @param probability its softmax probability
     */
    public record Ranked(int index, String name, double probability) {
    }

    public Prediction {
        logits = logits.clone();
        top = List.copyOf(top);
    }

    /**
     * The prediction for {@code image} from finite {@code logits}, naming classes by {@code names} (empty:
     * by number), keeping the {@code k} most probable (all of them if there are fewer).
     */
    public static Prediction of(Path image, float[] logits, List<String> names, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        List<Ranked> top = new ArrayList<>();
        int[] order = IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).limit(k).toArray();
        for (int i : order) {
            top.add(new Ranked(i, names.isEmpty() ? Integer.toString(i) : names.get(i), p[i] / sum));
        }
        return new Prediction(image, logits, top);
    }

    /** As JSON: {@code {"image": path, "top": [{"class", "name", "probability"}], "logits": [...]}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image.toString());
        m.put("top", top.stream().map(r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class", r.index());
            e.put("name", r.name());
            e.put("probability", r.probability());
            return e;
        }).toList());
        m.put("logits", logits.clone());
        return m;
    }
}
