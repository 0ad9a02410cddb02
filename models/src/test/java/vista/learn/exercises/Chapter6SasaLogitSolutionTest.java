package vista.learn.exercises;

import vista.tensor.DType;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.LocalAttentionWindow;
import vista.tensor.geometry.LocalAttentionWindow.Border;
import vista.tensor.kernels.LocalSelfAttentionReference;

/**
 * The SASA-logit checks passing on Vista's own fused reference kernel. The logit is read back from the
 * kernel's attention weights: on a 1 x 1 image with a 3 x 3 window and zero border, the centre neighbour
 * (1, 1) has the requested query, key and embedding rows, while the corner neighbour (0, 0) lies outside
 * with a zero key and zero embedding rows, so its logit is 0 and {@code logit = log(p_centre / p_corner)}.
 */
class Chapter6SasaLogitSolutionTest extends Chapter6SasaLogitChecks {
    @Override
    SasaLogit sasa() {
        return (query, key, relRow, relColumn, scale) -> {
            int dh = query.length;
            int h = dh / 2;
            Tensor q = Tensor.fromArray(query, 1, dh, 1, 1);
            Tensor k = Tensor.fromArray(key, 1, dh, 1, 1);
            Tensor v = Tensor.zeros(DType.FLOAT64, q.shape());
            Tensor rows = Tensor.zeros(DType.FLOAT64, Shape.of(3, h));
            Tensor columns = Tensor.zeros(DType.FLOAT64, Shape.of(3, h));
            rows.slice(0, 1, 2).copyFrom(Tensor.fromArray(relRow, 1, h));
            columns.slice(0, 1, 2).copyFrom(Tensor.fromArray(relColumn, 1, h));
            LocalAttentionWindow window = new LocalAttentionWindow(1, 3, Border.ZERO, scale);
            Tensor p = LocalSelfAttentionReference.forward(q, k, v, rows, columns, window).weights();
            return Math.log(p.get(0, 0, 4, 0, 0)) - Math.log(p.get(0, 0, 0, 0, 0));
        };
    }
}
