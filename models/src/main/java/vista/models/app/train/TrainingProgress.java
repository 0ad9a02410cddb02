package vista.models.app.train;

import java.io.PrintWriter;
import java.util.Locale;
import vista.tensor.runtime.Parallel;

/**
 * What {@code vista train} shows of a run, on a {@link Progress} display: what it trains on, each step's
 * running loss and accuracy, a line per epoch with the test results, and how the run ended.
 */
public final class TrainingProgress implements TrainingObserver {
    private final Progress display;
    private Session session;

    /** Shows the run on {@code out} in the style {@code mode}. */
    public TrainingProgress(PrintWriter out, Progress.Mode mode) {
        this.display = new Progress(out, mode);
    }

    @Override
    public boolean sessionStarted(Session s) {
        session = s;
        TrainConfig config = s.config();
        if (s.resumed()) {
            display.line("Resuming " + s.run().root() + " after epoch " + s.firstEpoch() + " (step " + s.firstStep()
                    + ").");
        }
        TrainingData data = s.data();
        display.line(String.format(Locale.ROOT, "Training %s (%,d parameters) on %s: %d images of %d x %d x %d,"
                        + " %d classes; testing on %d images.", config.model(), s.model().parameterCount(),
                data.train().name(), data.train().size(), data.train().channels(), data.train().height(),
                data.train().width(), data.train().numClasses(), data.test().size()));
        display.line(String.format(Locale.ROOT, "%s of %s of %d images, lr %s (%s schedule), %s; run folder %s.",
                count(config.epochs(), "epoch"), count(s.train().batchesPerEpoch(), "step"), config.batch(),
                config.lr(), config.schedule(), count(Parallel.threads(), "thread"), s.run().root()));
        return true;
    }

    @Override
    public void stepFinished(Step step) {
        EpochStats sums = step.sums();
        display.trainStep(step.epoch(), session.config().epochs(), sums.steps(), session.train().batchesPerEpoch(),
                sums.images(), sums.nanos(), sums.loss(), sums.accuracy());
    }

    @Override
    public void testBatchFinished(int imagesDone, int total) {
        display.testStep(imagesDone, total);
    }

    @Override
    public void epochFinished(Epoch e) {
        EpochStats train = e.train();
        display.line(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%%"
                        + " top-5 %.2f%% | lr %.4g | %s, %.1f img/s", e.epoch(), session.config().epochs(),
                train.loss(), 100 * train.accuracy(), e.test().loss(), 100 * e.test().top1(), 100 * e.test().top5(),
                train.learningRate(), Progress.duration(train.seconds()), train.imagesPerSecond()));
    }

    @Override
    public void runFinished(Trainer.Result result) {
        switch (result.ending()) {
            case ALREADY_FINISHED -> display.line("The run in " + result.folder() + " already finished its "
                    + count(result.epochs(), "epoch") + "; nothing to do.");
            case FINISHED -> display.line(String.format(Locale.ROOT,
                    "Finished %s: test accuracy %.2f%% (top-5 %.2f%%), test loss %.4f. Files in %s.",
                    count(result.epochs(), "epoch"), 100 * result.test().top1(), 100 * result.test().top5(),
                    result.test().loss(), result.folder()));
            case STOPPED_AS_ASKED -> display.line("Stopped after epoch " + result.epochs() + " of "
                    + session.config().epochs() + " as asked; continue with: vista train --out " + result.folder()
                    + " --resume");
            case STOPPED_BY_OBSERVER -> {
                // The observer that stopped the run has said why.
            }
        }
    }

    @Override
    public void diverged(TrainingDivergedException e) {
        display.clear();
    }

    /** "1 epoch", "2 epochs". */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
