package vista.models.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.data.FashionMnist;
import vista.models.app.train.DataFacts;
import vista.models.app.train.RunDirectory;
import vista.models.app.train.SmallDataSets;
import vista.models.app.train.TrainConfig;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

class TrainCommandTest {
    private static final int THREADS = Parallel.threads();

    @TempDir
    Path tmp;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    /**
     * The arguments of a quick run: resnet26-mini on 64 striped 16x16 images (4 steps of 16), tested on 32,
     * with {@code more} options added or replacing these defaults.
     */
    private String[] tiny(Path out, String... more) throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 64, 32, 16);
        Map<String, String> options = new LinkedHashMap<>(Map.of("--model", "resnet26-mini", "--data", data.toString(),
                "--batch", "16", "--progress", "lines", "--out", out.toString()));
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            boolean hasValue = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (hasValue) {
                options.put(more[i], more[++i]);
            } else {
                flags.add(more[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("train"));
        options.forEach((option, value) -> args.addAll(List.of(option, value)));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    private static Cli.Outcome succeeds(String... args) {
        Cli.Outcome outcome = Cli.vista(args);
        assertEquals(0, outcome.status(), outcome::toString);
        return outcome;
    }

    private static List<JsonObject> metrics(Path run) throws IOException {
        return Files.readAllLines(run.resolve(RunDirectory.METRICS)).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }

    private static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), what + " names");
        expected.forEach((name, tensor) -> {
            float[] a = tensor.toFloatArray();
            float[] b = actual.get(name).toFloatArray();
            int[] bitsA = new int[a.length];
            int[] bitsB = new int[b.length];
            for (int i = 0; i < a.length; i++) {
                bitsA[i] = Float.floatToRawIntBits(a[i]);
            }
            for (int i = 0; i < b.length; i++) {
                bitsB[i] = Float.floatToRawIntBits(b[i]);
            }
            assertArrayEquals(bitsA, bitsB, what + " " + name);
        });
    }

    @Test
    void resumeGivesTheSameWeightsAsAnUninterruptedRun() throws IOException {
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");
        String[] recipe = {"--epochs", "2", "--nesterov", "--no-decay-bn-bias", "--label-smoothing", "0.1",
            "--smoothing-style", "san", "--warmup-epochs", "1", "--seed", "5"};
        succeeds(tiny(straight, Stream.concat(Stream.of(recipe), Stream.of("--threads", "2")).toArray(String[]::new)));
        Cli.Outcome first = succeeds(tiny(interrupted,
                Stream.concat(Stream.of(recipe), Stream.of("--threads", "1", "--stop-after-epoch", "1")).toArray(String[]::new)));
        assertTrue(first.out().contains("Stopped after epoch 1 of 2"), first::toString);
        assertEquals(1, Checkpoint.read(interrupted.resolve(RunDirectory.CHECKPOINT)).epoch());

        Cli.Outcome rest = succeeds("train", "--out", interrupted.toString(), "--resume", "--threads", "2",
                "--progress", "lines", "--epochs", "2");
        assertTrue(rest.out().contains("Resuming " + interrupted + " after epoch 1 (step 4)"), rest::toString);

        Checkpoint a = Checkpoint.read(straight.resolve(RunDirectory.CHECKPOINT));
        Checkpoint b = Checkpoint.read(interrupted.resolve(RunDirectory.CHECKPOINT));
        assertEquals(2, b.epoch());
        assertEquals(a.step(), b.step());
        assertEquals(a.config(), b.config());
        assertSameBits(a.model(), b.model(), "model");
        assertSameBits(a.optimizer(), b.optimizer(), "optimizer velocity");
        List<JsonObject> ma = metrics(straight);
        List<JsonObject> mb = metrics(interrupted);
        assertEquals(2, mb.size());
        for (int e = 0; e < 2; e++) {
            for (String key : List.of("epoch", "step", "train_loss", "train_acc", "test_loss", "test_acc", "lr")) {
                assertEquals(ma.get(e).get(key), mb.get(e).get(key), key + " of epoch " + (e + 1));
            }
        }
    }

    @Test
    void stopsOnNaNLossNamingTheStep() throws IOException {
        Path fresh = tmp.resolve("fresh");
        Cli.Outcome blowUp = Cli.vista(tiny(fresh, "--epochs", "2", "--lr", "1e30"));
        assertEquals(1, blowUp.status(), blowUp::toString);
        assertTrue(blowUp.err().contains("Training diverged in epoch 1, step 2: the training loss is NaN"), blowUp::toString);
        assertTrue(blowUp.err().contains("No checkpoint has been written"), blowUp::toString);
        assertFalse(Files.exists(fresh.resolve(RunDirectory.CHECKPOINT)));

        // Diverge in epoch 2: the checkpoint of epoch 1 stays as it was.
        Path run = tmp.resolve("run");
        succeeds(tiny(run, "--epochs", "3", "--lr", "0.05", "--stop-after-epoch", "1"));
        Path file = run.resolve(RunDirectory.CHECKPOINT);
        Checkpoint good = Checkpoint.read(file);
        Map<String, String> absurd = new LinkedHashMap<>(good.config());
        absurd.put("lr", "1.0E30");
        new Checkpoint(absurd, good.epoch(), good.step(), good.rng(), good.model(), good.optimizer()).write(file);
        byte[] before = Files.readAllBytes(file);

        Cli.Outcome later = Cli.vista("train", "--out", run.toString(), "--resume", "--progress", "lines");
        assertEquals(1, later.status(), later::toString);
        Matcher m = Pattern.compile("Training diverged in epoch 2, step (\\d+): the training loss is (NaN|Infinity|-Infinity)"
                + " at step (\\d) of 4 of the epoch").matcher(later.err());
        assertTrue(m.find(), later::toString);
        assertEquals(Integer.parseInt(m.group(3)) + 4, Integer.parseInt(m.group(1)), "global step = 4 + step in epoch 2");
        assertTrue(later.err().contains("The last good checkpoint, after epoch 1, is " + file), later::toString);
        assertArrayEquals(before, Files.readAllBytes(file), "the checkpoint of epoch 1 is kept");
        assertEquals(1, metrics(run).size());
    }

    @Test
    void writesMetricsConfigAndCheckpoint() throws IOException {
        Path run = tmp.resolve("run");
        Cli.Outcome outcome = succeeds(tiny(run, "--epochs", "2", "--limit-train", "48", "--limit-test", "20",
                "--momentum", "0.8", "--threads", "2"));
        assertTrue(outcome.out().contains("epoch 1/2  step 3/3"), outcome::toString);
        assertTrue(outcome.out().contains("epoch 2/2: train loss"), outcome::toString);
        assertTrue(outcome.out().contains("Finished 2 epochs: test accuracy"), outcome::toString);

        JsonObject config = JsonParser.parseString(Files.readString(run.resolve(RunDirectory.CONFIG))).getAsJsonObject();
        for (String key : List.of("model", "data", "epochs", "batch", "lr", "momentum", "nesterov", "weight_decay",
                "no_decay_bn_bias", "label_smoothing", "smoothing_style", "schedule", "warmup_epochs", "lr_step_epochs",
                "lr_gamma", "augment", "crop_padding", "seed", "limit_train", "limit_test", "in_channels", "image_height",
                "image_width", "num_classes", "train_samples", "test_samples", "normalize_mean", "normalize_std",
                "threads", "out")) {
            assertTrue(config.has(key), "config.json has " + key + ": " + config);
        }
        assertEquals("resnet26-mini", config.get("model").getAsString());
        assertEquals(0.8, config.get("momentum").getAsDouble());
        assertTrue(config.get("augment").getAsBoolean());
        assertEquals(48, config.get("train_samples").getAsInt());
        assertEquals(20, config.get("test_samples").getAsInt());
        assertEquals(2, config.get("threads").getAsInt());

        List<JsonObject> lines = metrics(run);
        assertEquals(2, lines.size());
        for (int e = 0; e < 2; e++) {
            JsonObject line = lines.get(e);
            assertEquals(List.of("epoch", "step", "train_loss", "train_acc", "test_loss", "test_acc", "test_top5", "lr",
                    "seconds", "images_per_second"), List.copyOf(line.keySet()));
            assertEquals(e + 1, line.get("epoch").getAsInt());
            assertEquals(3 * (e + 1), line.get("step").getAsInt());
            for (String key : List.of("train_acc", "test_acc", "test_top5")) {
                double v = line.get(key).getAsDouble();
                assertTrue(v >= 0 && v <= 1, key + " " + v);
            }
            assertTrue(line.get("test_acc").getAsDouble() <= line.get("test_top5").getAsDouble());
            assertTrue(line.get("lr").getAsDouble() > 0 && line.get("seconds").getAsDouble() > 0);
        }

        Checkpoint checkpoint = Checkpoint.read(run.resolve(RunDirectory.CHECKPOINT));
        assertEquals(2, checkpoint.epoch());
        assertEquals(6, checkpoint.step());
        assertEquals(Map.of("seed", 1L), checkpoint.rng());
        TrainConfig stored = TrainConfig.fromMap(checkpoint.config());
        assertEquals("resnet26-mini", stored.model());
        assertEquals(48, stored.limitTrain());
        DataFacts facts = DataFacts.fromMap(checkpoint.config());
        assertEquals(16, facts.height());
        assertEquals(10, facts.numClasses());
        Module fresh = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, new Rng(0)));
        assertEquals(List.copyOf(fresh.stateDict().keySet()), List.copyOf(checkpoint.model().keySet()),
                "weights and BatchNorm running statistics");
        assertEquals(List.copyOf(fresh.namedParameters().keySet()), List.copyOf(checkpoint.optimizer().keySet()),
                "a velocity per parameter");
    }

    @Test
    void trainingOnRealFashionMnistReducesTheLoss() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEFAULT_FOLDER)),
                "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_FOLDER);
        Path run = tmp.resolve("fashion");
        Cli.Outcome outcome = succeeds("train", "--model", "resnet26-mini", "--data", "fashion-mnist",
                "--limit-train", "1024", "--limit-test", "256", "--batch", "32", "--epochs", "1", "--lr", "0.05",
                "--no-augment", "--progress", "lines", "--out", run.toString());
        Matcher first = Pattern.compile("step \\d+/32 .* loss (\\d+\\.\\d+)").matcher(outcome.out());
        assertTrue(first.find(), outcome::toString);
        double firstLoss = Double.parseDouble(first.group(1));
        JsonObject epoch = metrics(run).get(0);
        double testLoss = epoch.get("test_loss").getAsDouble();
        double testAccuracy = epoch.get("test_acc").getAsDouble();
        double guessing = Math.log(10);
        assertTrue(firstLoss > 0.95 * guessing, "the first steps' loss " + firstLoss + " is near ln 10, that of guessing");
        assertTrue(testLoss < 0.85 * guessing, "test loss " + testLoss + " after one epoch, first steps " + firstLoss);
        assertTrue(testAccuracy > 0.25, "test accuracy " + testAccuracy + " (chance: 0.1)");
    }

    @Test
    void trainsOnCifar10BinaryFiles() throws IOException {
        Path folder = SmallDataSets.cifar10(tmp.resolve("cifar"), 4, 10);
        Path run = tmp.resolve("cifar-run");
        Cli.Outcome outcome = succeeds("train", "--model", "resnet26-mini", "--data", "cifar10:" + folder, "--batch", "10",
                "--progress", "lines", "--out", run.toString());
        assertTrue(outcome.out().contains("on CIFAR-10: 20 images of 3 x 32 x 32, 10 classes; testing on 10 images"),
                outcome::toString);
        DataFacts facts = DataFacts.fromMap(Checkpoint.read(run.resolve(RunDirectory.CHECKPOINT)).config());
        assertEquals(List.of(3, 32, 32, 10), List.of(facts.channels(), facts.height(), facts.width(), facts.numClasses()));
        assertEquals(3, facts.mean().length);

        Cli.Outcome eval = Cli.vista("eval", "--checkpoint", run.resolve(RunDirectory.CHECKPOINT).toString(),
                "--progress", "lines");
        assertEquals(0, eval.status(), eval::toString);
        assertTrue(eval.out().contains("9 truck"), eval::toString);
    }

    @Test
    void rejectsUnknownModelAndBadOptions() throws IOException {
        Path out = tmp.resolve("out");
        Cli.Outcome unknown = Cli.vista(tiny(out, "--model", "vgg16"));
        assertEquals(2, unknown.status(), unknown::toString);
        assertTrue(unknown.err().contains("--model vgg16 is not a model Vista knows; choose one of: "), unknown::toString);
        assertTrue(unknown.err().contains("resnet26-mini"), unknown::toString);

        for (String[] bad : List.of(new String[] {"--lr", "-1"}, new String[] {"--smoothing-style", "keras"},
                new String[] {"--schedule", "linear"}, new String[] {"--warmup-epochs", "2", "--epochs", "2"},
                new String[] {"--label-smoothing", "1.5"}, new String[] {"--progress", "fancy"},
                new String[] {"--nesterov", "--momentum", "0"}, new String[] {"--threads", "0"})) {
            Cli.Outcome outcome = Cli.vista(tiny(out, bad));
            assertEquals(2, outcome.status(), outcome::toString);
            assertTrue(outcome.err().contains("vista train: " + bad[0]), outcome::toString);
        }
        assertEquals(2, Cli.vista("train", "--model", "resnet26-mini").status(), "--out is required");
        assertFalse(Files.exists(out), "nothing is written for invalid options");

        Cli.Outcome tooBig = Cli.vista(tiny(out, "--batch", "128"));
        assertEquals(1, tooBig.status(), tooBig::toString);
        assertTrue(tooBig.err().contains("--batch 128 is larger than the 64 training images"), tooBig::toString);

        Cli.Outcome noData = Cli.vista("train", "--data", tmp.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(1, noData.status(), noData::toString);
        assertTrue(noData.err().contains("nowhere: is not a folder. --data takes `fashion-mnist`"), noData::toString);

        Cli.Outcome nothingToResume = Cli.vista("train", "--out", out.toString(), "--resume");
        assertEquals(1, nothingToResume.status(), nothingToResume::toString);
        assertTrue(nothingToResume.err().contains("there is no checkpoint to resume from"), nothingToResume::toString);

        succeeds(tiny(out, "--epochs", "1"));
        Cli.Outcome again = Cli.vista(tiny(out, "--epochs", "1"));
        assertEquals(1, again.status(), again::toString);
        assertTrue(again.err().contains("already holds a training run"), again::toString);
        assertTrue(again.err().contains("pass --resume to continue it, or choose another --out"), again::toString);

        Cli.Outcome changed = Cli.vista("train", "--out", out.toString(), "--resume", "--batch", "8");
        assertEquals(2, changed.status(), changed::toString);
        assertTrue(changed.err().contains("--batch 8 differs from the run's 16"), changed::toString);

        Cli.Outcome finished = succeeds("train", "--out", out.toString(), "--resume", "--batch", "16");
        assertTrue(finished.out().contains("already finished its 1 epoch; nothing to do"), finished::toString);
    }

    @Test
    void aMistypedModelGetsTheClosestName() throws IOException {
        Cli.Outcome typo = Cli.vista(tiny(tmp.resolve("out"), "--model", "resnet26mini"));
        assertEquals(2, typo.status(), typo::toString);
        assertEquals("vista train: --model resnet26mini is not a model Vista knows; did you mean resnet26-mini?\n"
                + "Run 'vista train --help' for the options.\n", typo.err());
    }

    @Test
    void refusesATestSplitOfAnotherSize() throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("mixed"), 64, 32, 16);
        Path larger = SmallDataSets.stripes(tmp.resolve("larger"), 16, 32, 20);
        for (String file : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.copy(larger.resolve(file), data.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = tmp.resolve("out");
        Cli.Outcome mixed = Cli.vista(tiny(out, "--data", data.toString()));
        assertEquals(1, mixed.status(), mixed::toString);
        assertEquals("vista train: " + data.resolve("t10k-images-idx3-ubyte") + ": holds test images of 1 x 20 x 20,"
                + " but the training images in " + data.resolve("train-images-idx3-ubyte") + " are 1 x 16 x 16; the"
                + " test split must have the training split's channels and size, so put a test split of 1 x 16 x 16"
                + " images beside it.\n", mixed.err());
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void refusesACropPaddingThatCouldLeaveNoPixelOfTheImage() throws IOException {
        Path out = tmp.resolve("out");
        Cli.Outcome padded = Cli.vista(tiny(out, "--crop-padding", "16"));
        assertEquals(1, padded.status(), padded::toString);
        assertTrue(padded.err().startsWith("vista train: --crop-padding 16 is not smaller than the 16-pixel side of the"
                + " 16 x 16 images of " + tmp.resolve("data") + ", so a random crop could hold no pixel of the image;"
                + " use a padding below 16"), padded::toString);
        assertFalse(Files.exists(out), "nothing is written");
        assertEquals(0, Cli.vista(tiny(out, "--crop-padding", "16", "--no-augment", "--limit-train", "16")).status(),
                "without augmentation there is no crop");
    }

    @Test
    void checksTheModelTakesTheImageSizeBeforeWritingAnything() throws IOException {
        Path out = tmp.resolve("out");
        Path data = SmallDataSets.stripes(tmp.resolve("data20"), 32, 16, 20);
        Cli.Outcome odd = Cli.vista(tiny(out, "--model", "sasa-resnet26-small", "--data", data.toString()));
        assertEquals(1, odd.status(), odd::toString);
        assertEquals("vista train: --model sasa-resnet26-small cannot take images of 20 x 20 pixels: stage 4's"
                + " stride-2 attention (then 2x2 average pooling) needs a side that is a multiple of 2, and it gets 5."
                + " The sides nearest 20 that it takes are 16 and 24 (it is made for 32 x 32). Choose another --model"
                + " for the images of " + data + ".\n", odd.err());
        assertFalse(Files.exists(out), "nothing is written");
    }
}
