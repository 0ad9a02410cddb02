package vista.models.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import vista.nn.checkpoint.AtomicFiles;

/**
 * Learning curves as one chart: four panels stacked over one epoch axis, training loss, test loss,
 * training accuracy and test accuracy, each with one line per run; a run keeps its colour in every panel
 * and the legend names it by its folder. Beside the training loss's per-epoch means, a thin line of the same
 * colour follows the loss step by step (from the run's manifest), smoothed by the mean of the last
 * {@value #SMOOTHING} steps. Loss is cross-entropy in nats (natural logarithm), accuracy top-1
 * in percent. A panel whose positive values span more than a factor of {@value #LOG_SCALE_SPAN} (a run whose
 * test loss exploded beside runs that learn) gets a logarithmic axis, said in its label. Drawn by JFreeChart, which gives axes with readable ticks, a legend and anti-aliased lines;
 * hand-drawn Java2D would have to redo each of these.
 */
public final class TrainingCurves {
    /**
     * Colours a reader tells apart, colour-blind readers too (Okabe and Ito's palette, without its yellow,
     * which vanishes on white); runs beyond seven reuse them in order.
     */
    private static final List<Color> COLOURS = List.of(new Color(0x0072B2), new Color(0xD55E00),
            new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xE69F00), new Color(0x000000));

    private static final double LOG_SCALE_SPAN = 100;
    /** Steps averaged by the per-step training-loss line. */
    static final int SMOOTHING = 25;
    private static final Shape POINT = new Ellipse2D.Double(-3, -3, 6, 6);

    private TrainingCurves() {
    }

    /** The chart of {@code runs} (class comment). */
    public static JFreeChart chart(List<RunMetrics> runs) {
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        XYPlot training = panel(runs, "training loss (nats)", e -> e.trainLoss());
        addSmoothedSteps(training, runs);
        plot.add(training);
        plot.add(panel(runs, "test loss (nats)", e -> e.testLoss()));
        plot.add(panel(runs, "training accuracy (%)", e -> 100 * e.trainAccuracy()));
        plot.add(panel(runs, "test accuracy (%)", e -> 100 * e.testAccuracy()));
        LegendItemCollection legend = new LegendItemCollection();
        for (int r = 0; r < runs.size(); r++) {
            LegendItem item = new LegendItem(runs.get(r).name(), colour(r));
            item.setShape(POINT);
            legend.add(item);
        }
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart("Loss and top-1 accuracy per epoch", new Font(Font.SANS_SERIF, Font.BOLD, 16),
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle title = chart.getLegend();
        title.setPosition(RectangleEdge.TOP);
        return chart;
    }

    /** Writes the chart of {@code runs} as a {@code width x height} PNG to {@code file}, atomically. */
    public static void writePng(List<RunMetrics> runs, Path file, int width, int height) throws IOException {
        JFreeChart chart = chart(runs);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    private static XYPlot panel(List<RunMetrics> runs, String label, ToDoubleFunction<RunMetrics.Epoch> value) {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        double smallest = Double.POSITIVE_INFINITY;
        double largest = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < runs.size(); r++) {
            XYSeries series = new XYSeries(runs.get(r).name() + " #" + r, false, true);
            for (RunMetrics.Epoch e : runs.get(r).epochs()) {
                double y = value.applyAsDouble(e);
                series.add(e.epoch(), y);
                smallest = Math.min(smallest, y);
                largest = Math.max(largest, y);
            }
            lines.addSeries(series);
            renderer.setSeriesPaint(r, colour(r));
            renderer.setSeriesStroke(r, new BasicStroke(2f));
            renderer.setSeriesShape(r, POINT);
        }
        ValueAxis axis;
        if (smallest > 0 && largest / smallest > LOG_SCALE_SPAN) {
            axis = new LogAxis(label.replace(")", ", log scale)"));
        } else {
            NumberAxis linear = new NumberAxis(label);
            linear.setAutoRangeIncludesZero(false);
            axis = linear;
        }
        XYPlot panel = new XYPlot(lines, null, axis, renderer);
        panel.setBackgroundPaint(Color.WHITE);
        panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
        panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return panel;
    }

    /** Adds each run's step losses to {@code panel}, as a thin line of its colour, smoothed (class comment). */
    private static void addSmoothedSteps(XYPlot panel, List<RunMetrics> runs) {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int r = 0; r < runs.size(); r++) {
            List<RunMetrics.Step> steps = runs.get(r).steps();
            XYSeries series = new XYSeries(runs.get(r).name() + " steps #" + r, false, true);
            double window = 0;
            for (int i = 0; i < steps.size(); i++) {
                window += steps.get(i).loss() - (i >= SMOOTHING ? steps.get(i - SMOOTHING).loss() : 0);
                series.add(steps.get(i).epochs(), window / Math.min(i + 1, SMOOTHING));
            }
            lines.addSeries(series);
            renderer.setSeriesPaint(r, colour(r));
            renderer.setSeriesStroke(r, new BasicStroke(0.8f));
        }
        panel.setDataset(1, lines);
        panel.setRenderer(1, renderer);
    }

    private static Color colour(int run) {
        return COLOURS.get(run % COLOURS.size());
    }
}
