package vista.models.app.plot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.train.MetricLines;
import vista.models.app.train.RunDirectory;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes what {@code vista plot} and {@code vista runs} read from a run folder that may have been edited or
 * damaged: {@link MetricLines} (metrics.jsonl) and {@link RunMetrics} (metrics.jsonl, and the step losses of
 * manifest.json). The property of {@link FuzzCampaign}: every damaged file is refused with an IOException
 * naming it, or read whole.
 */
class RunFolderFuzzTest {
    private static final String METRICS = """
            {"epoch":1,"step":4,"train_loss":2.25,"train_acc":0.5,"test_loss":2.0,"test_acc":0.625,"test_top5":1.0,\
            "lr":0.05,"seconds":1.5,"images_per_second":42.5}
            {"epoch":2,"step":8,"train_loss":1.75,"train_acc":0.75,"test_loss":1.5,"test_acc":0.75,"test_top5":1.0,\
            "lr":0.0,"seconds":1.25,"images_per_second":51.2}
            """;
    private static final String MANIFEST = """
            {"format":"vista-run-manifest/1","epochs":[{"epoch":1,"losses":[2.5,2.0,1.75,1.5]},\
            {"epoch":2,"losses":[1.5,1.25,1.0,0.75]}]}
            """;

    @TempDir
    Path dir;

    @Test
    void damagedMetricLinesAreRefusedNamingTheFileOrReadWhole() {
        Path file = dir.resolve(RunDirectory.METRICS);
        FuzzCampaign.of("metrics.jsonl", METRICS.getBytes(StandardCharsets.UTF_8)).budget(Duration.ofMillis(400))
                .run(Refusal.naming(IOException.class, file.toString()), stored -> {
                    MetricLines lines = MetricLines.read(Files.write(file, stored));
                    for (MetricLines.Line line : lines.lines()) {
                        lines.number(line, "seconds");
                        lines.number(line, "test_acc");
                    }
                    return lines;
                }, (stored, lines) -> assertFalse(lines.lines().isEmpty()));
    }

    @Test
    void damagedManifestsForThePlotAreRefusedNamingTheFileOrReadWhole() throws IOException {
        Files.writeString(dir.resolve(RunDirectory.METRICS), METRICS);
        Path manifest = dir.resolve(RunDirectory.MANIFEST);
        FuzzCampaign.of("manifest.json (step losses)", MANIFEST.getBytes(StandardCharsets.UTF_8))
                .budget(Duration.ofMillis(400))
                .run(Refusal.naming(IOException.class, manifest.toString()), stored -> {
                    Files.write(manifest, stored);
                    return RunMetrics.read(dir);
                }, (stored, metrics) -> assertTrue(metrics.epochs().size() == 2));
    }
}
