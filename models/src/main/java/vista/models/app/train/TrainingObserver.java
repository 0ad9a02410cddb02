package vista.models.app.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.data.DataLoader;
import vista.nn.Module;
import vista.nn.optim.Sgd;

/**
 * Watches a run of {@link Trainer}: everything beside the loop itself (the progress display, the run's
 * manifest, the weights' fingerprints, a replay's comparison) is an observer attached to it.
 *
 * <p>The events of one session, in order:
 * <pre>
 *   sessionStarted                                  the model and data are ready (false: stop before training)
 *   per epoch:
 *     stepFinished        after every optimiser step
 *     testBatchFinished   after every batch of the test evaluation
 *     epochFinished       the epoch is tested; its checkpoint is not written yet
 *     epochSaved          its checkpoint and metrics are written (false: stop after this epoch)
 *   runFinished                                     the session ended normally (or had nothing to do)
 *   diverged                                        instead of runFinished, when a loss or weight is not finite
 * </pre>
 * A run resumed after its last epoch sends {@code runFinished} alone. Observers see the model, optimiser
 * and loaders the loop uses; they read them and change nothing.
 */
public interface TrainingObserver {
    /**
     * Before the session's first step. Returning false stops the run before it trains; observers combined
     * after this one ({@link #inOrder}) are not told.
     */
    default boolean sessionStarted(Session session) throws IOException {
        return true;
    }

    /** After an optimiser step. */
    default void stepFinished(Step step) {
    }

    /** After each batch of the test evaluation that ends an epoch, with the images done so far of {@code total}. */
    default void testBatchFinished(int imagesDone, int total) {
    }

    /**
     * After an epoch's test, before its checkpoint is written: what is recorded here precedes the
     * checkpoint, so a run resumed from that checkpoint finds it.
     */
    default void epochFinished(Epoch epoch) throws IOException {
    }

    /**
     * After the epoch's checkpoint and metrics are written. Returning false stops the run after this
     * epoch; observers combined after this one ({@link #inOrder}) are not told.
     */
    default boolean epochSaved(Epoch epoch) {
        return true;
    }

    /** When the session ends without diverging, with what it ended. */
    default void runFinished(Trainer.Result result) {
    }

    /** When a loss or weight became NaN or infinite; {@code e} reaches the caller after this. */
    default void diverged(TrainingDivergedException e) {
    }

    /** One observer that passes every event to {@code observers}, in this order. */
    static TrainingObserver inOrder(TrainingObserver... observers) {
        return new ObserverChain(List.of(observers));
    }

    /**
     * A session of a run, as it starts.
     *
     * @param config     the run's configuration
     * @param run        the run folder
     * @param data       the data, loaded
     * @param facts      what the checkpoint records about the data
     * @param model      the model, initialised from the seed or restored from the checkpoint
     * @param train      the training loader (its sample order, epoch by epoch)
     * @param firstEpoch epochs finished before this session (0 for a new run)
     * @param firstStep  optimiser steps taken before this session
     * @param resumed    true if the session continues from a checkpoint
     */
    record Session(TrainConfig config, RunDirectory run, TrainingData data, DataFacts facts, Module model,
                   DataLoader train, int firstEpoch, long firstStep, boolean resumed) {
    }

    /**
     * One optimiser step.
     *
     * @param epoch the epoch, from 1
     * @param step  the step, from 1, counted over the whole run
     * @param loss  its training loss
     * @param sums  the epoch's sums up to and including this step
     * @param model the model after the step
     */
    record Step(int epoch, long step, double loss, EpochStats sums, Module model) {
    }

    /**
     * One finished epoch.
     *
     * @param epoch     the epoch, from 1
     * @param step      its last optimiser step, counted over the whole run
     * @param train     the sums over its training steps
     * @param test      the evaluation on the test split after it
     * @param model     the model after it
     * @param optimizer the optimiser after it (its velocities)
     */
    record Epoch(int epoch, long step, EpochStats train, Evaluation test, Module model, Sgd optimizer) {
        /** Its first optimiser step, counted over the whole run. */
        public long firstStep() {
            return step - train.steps() + 1;
        }

        /**
         * Its line of {@code metrics.jsonl}: {@code epoch}, {@code step}, {@code train_loss},
         * {@code train_acc}, {@code test_loss}, {@code test_acc}, {@code test_top5}, {@code lr} (η of the
         * last step), {@code seconds} (training only) and {@code images_per_second} (of all workers
         * together); on a cluster also {@code communication_share}, the share of the training time spent
         * communicating.
         */
        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("step", step);
            m.put("train_loss", train.loss());
            m.put("train_acc", train.accuracy());
            m.put("test_loss", test.loss());
            m.put("test_acc", test.top1());
            m.put("test_top5", test.top5());
            m.put("lr", train.learningRate());
            m.put("seconds", train.seconds());
            m.put("images_per_second", train.imagesPerSecond());
            if (!Double.isNaN(train.communicationShare())) {
                m.put("communication_share", train.communicationShare());
            }
            return m;
        }
    }
}
