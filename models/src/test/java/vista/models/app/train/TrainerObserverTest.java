package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Trainer} tells its {@link TrainingObserver}s, on resnet26-mini and 32 striped 16x16 images
 * (2 steps of 16 per epoch, 8 test images in one batch).
 */
class TrainerObserverTest {
    @TempDir
    Path tmp;

    private TrainConfig config(int epochs) throws IOException {
        Path data = SmallDataSets.stripes(tmp.resolve("data"), 32, 8, 16);
        return new TrainConfig("resnet26-mini", data.toString(), epochs, 16, 0.1, 0.9, false, 5e-4, false, 0, "torch",
                "cosine", 0, 30, 0.1, true, 4, 1, 0, 0, "", false, "lineage", 1);
    }

    /** Writes each event it hears, with its position in the run, into {@code heard}. */
    private record Listener(String name, List<String> heard, boolean goOn, Path run) implements TrainingObserver {
        @Override
        public boolean sessionStarted(Session session) {
            heard.add(name + " session from epoch " + session.firstEpoch());
            return goOn;
        }

        @Override
        public void stepFinished(Step step) {
            heard.add(name + " step " + step.step() + " of epoch " + step.epoch());
        }

        @Override
        public void testBatchFinished(int imagesDone, int total) {
            heard.add(name + " tested " + imagesDone + "/" + total);
        }

        @Override
        public void epochFinished(Epoch epoch) {
            heard.add(name + " epoch " + epoch.epoch() + " finished, checkpoint of epoch "
                    + checkpointEpoch());
        }

        @Override
        public boolean epochSaved(Epoch epoch) {
            heard.add(name + " epoch " + epoch.epoch() + " saved, checkpoint of epoch " + checkpointEpoch());
            return goOn;
        }

        @Override
        public void runFinished(Trainer.Result result) {
            heard.add(name + " run " + result.ending() + " after " + result.epochs() + " epochs, " + result.steps()
                    + " steps");
        }

        /** The epoch of the run's checkpoint as it is now, or "none". */
        private String checkpointEpoch() {
            if (!Files.exists(run.resolve(RunDirectory.CHECKPOINT))) {
                return "none";
            }
            try {
                return String.valueOf(new RunDirectory(run).readCheckpoint().epoch());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void observersHearEveryEventInTheOrderAttached() throws IOException {
        Path run = tmp.resolve("run");
        List<String> heard = new ArrayList<>();
        Trainer.Result result = Trainer.start(config(2), new Trainer.Settings(run, 0), TrainingObserver.inOrder(
                new Listener("a", heard, true, run), new Listener("b", heard, true, run)));
        assertEquals(new Trainer.Result(run, 2, 4, result.test(), Trainer.Ending.FINISHED), result);
        List<String> expected = new ArrayList<>(List.of("a session from epoch 0", "b session from epoch 0"));
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (long step = 2L * epoch - 1; step <= 2L * epoch; step++) {
                for (String name : List.of("a", "b")) {
                    expected.add(name + " step " + step + " of epoch " + epoch);
                }
            }
            String before = epoch == 1 ? "none" : String.valueOf(epoch - 1);
            expected.addAll(List.of("a tested 8/8", "b tested 8/8",
                    "a epoch " + epoch + " finished, checkpoint of epoch " + before,
                    "b epoch " + epoch + " finished, checkpoint of epoch " + before,
                    "a epoch " + epoch + " saved, checkpoint of epoch " + epoch,
                    "b epoch " + epoch + " saved, checkpoint of epoch " + epoch));
        }
        expected.addAll(List.of("a run FINISHED after 2 epochs, 4 steps", "b run FINISHED after 2 epochs, 4 steps"));
        assertEquals(expected, heard);
    }

    @Test
    void anObserverStopsTheRunBeforeItTrainsAndLaterObserversAreNotTold() throws IOException {
        Path run = tmp.resolve("run");
        List<String> heard = new ArrayList<>();
        Trainer.Result result = Trainer.start(config(2), new Trainer.Settings(run, 0), TrainingObserver.inOrder(
                new Listener("stop", heard, false, run), new Listener("later", heard, true, run)));
        assertEquals(Trainer.Ending.STOPPED_BY_OBSERVER, result.ending());
        assertEquals(List.of("stop session from epoch 0", "stop run STOPPED_BY_OBSERVER after 0 epochs, 0 steps",
                "later run STOPPED_BY_OBSERVER after 0 epochs, 0 steps"), heard);
        assertFalse(Files.exists(run.resolve(RunDirectory.CHECKPOINT)), "no step, no checkpoint");
    }

    @Test
    void anObserverStopsTheRunAfterASavedEpoch() throws IOException {
        Path run = tmp.resolve("run");
        List<String> heard = new ArrayList<>();
        Trainer.Result result = Trainer.start(config(3), new Trainer.Settings(run, 0), new TrainingObserver() {
            @Override
            public boolean epochSaved(Epoch epoch) {
                heard.add("saved " + epoch.epoch());
                return false;
            }
        });
        assertEquals(new Trainer.Result(run, 1, 2, result.test(), Trainer.Ending.STOPPED_BY_OBSERVER), result);
        assertEquals(List.of("saved 1"), heard);
        assertTrue(Files.exists(run.resolve(RunDirectory.CHECKPOINT)), "the stopped run can be resumed");
    }
}
