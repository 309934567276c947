package dev.outrigger.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency percentile curves, one PNG per scenario and load with a line per topology. The x axis is
 * 1/(1 - percentile) on a log scale, labelled as percentiles, as HdrHistogram's plots do: the tail
 * (99%, 99.9%, 99.99%) gets as much room as the median.
 */
final class Plotter {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 600;
  /** Points per halving of the distance to 100%, as HdrHistogram's percentile output. */
  private static final int TICKS_PER_HALF_DISTANCE = 5;

  private Plotter() {}

  /** Writes the plots into {@code dir}; returns their files. */
  static List<Path> plot(Report report, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, Histogram>>> scenario
        : report.histograms.entrySet()) {
      for (Map.Entry<String, Map<String, Histogram>> load : scenario.getValue().entrySet()) {
        String title = scenario.getKey() + " at " + load.getKey();
        Path file = dir.resolve("latency-" + scenario.getKey() + "-"
            + load.getKey().replace("/s", "-per-s") + ".png");
        ChartUtils.saveChartAsPNG(file.toFile(), chart(title, load.getValue()), WIDTH, HEIGHT);
        files.add(file);
      }
    }
    return files;
  }

  private static JFreeChart chart(String title, Map<String, Histogram> byTopology) {
    XYSeriesCollection series = new XYSeriesCollection();
    double lastX = 10;
    for (Map.Entry<String, Histogram> topology : byTopology.entrySet()) {
      XYSeries curve = curve(topology.getKey(), topology.getValue());
      series.addSeries(curve);
      lastX = Math.max(lastX, curve.getMaxX());
    }
    LogAxis percentiles = new LogAxis("percentile");
    percentiles.setBase(10);
    percentiles.setNumberFormatOverride(new PercentileFormat());
    // One tick per decade: 0%, 90%, 99%, 99.9%...
    percentiles.setTickUnit(new NumberTickUnit(1));
    percentiles.setRange(1, lastX);
    NumberAxis latency = new NumberAxis("latency (ms)");
    XYPlot plot = new XYPlot(series, percentiles, latency, new XYLineAndShapeRenderer(true, false));
    return new JFreeChart("Latency by percentile: " + title, JFreeChart.DEFAULT_TITLE_FONT, plot,
        true);
  }

  private static XYSeries curve(String name, Histogram micros) {
    XYSeries curve = new XYSeries(name, false);
    for (HistogramIterationValue value : micros.percentiles(TICKS_PER_HALF_DISTANCE)) {
      double percentile = value.getPercentileLevelIteratedTo();
      if (percentile < 100) { // 100% is at infinity; the points before it already reach the max
        curve.add(1 / (1 - percentile / 100), value.getValueIteratedTo() / 1000.0);
      }
    }
    return curve;
  }

  /** Shows an axis value x = 1/(1-p) as the percentile p: 10 → 90%, 1000 → 99.9%. */
  private static final class PercentileFormat extends NumberFormat {
    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition position) {
      double percentile = 100 * (1 - 1 / x);
      String text = String.format(Locale.ROOT, "%.6f", percentile).replaceAll("0+$", "")
          .replaceAll("\\.$", "");
      return to.append(text).append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition position) {
      return format((double) x, to, position);
    }

    @Override
    public Number parse(String source, ParsePosition position) {
      throw new UnsupportedOperationException("axis labels are not parsed");
    }
  }
}
