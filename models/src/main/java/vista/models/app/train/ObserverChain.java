package vista.models.app.train;

import java.io.IOException;
import java.util.List;

/**
 * Observers combined by {@link TrainingObserver#inOrder}: each event goes to each of them in turn; an
 * observer that stops the run ({@code sessionStarted} or {@code epochSaved} returning false) ends the
 * turn, so those after it do not hear that event.
 */
final class ObserverChain implements TrainingObserver {
    private final List<TrainingObserver> observers;

    ObserverChain(List<TrainingObserver> observers) {
        this.observers = observers;
    }

    @Override
    public boolean sessionStarted(Session session) throws IOException {
        for (TrainingObserver o : observers) {
            if (!o.sessionStarted(session)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void stepFinished(Step step) {
        observers.forEach(o -> o.stepFinished(step));
    }

    @Override
    public void testBatchFinished(int imagesDone, int total) {
        observers.forEach(o -> o.testBatchFinished(imagesDone, total));
    }

    @Override
    public void epochFinished(Epoch epoch) throws IOException {
        for (TrainingObserver o : observers) {
            o.epochFinished(epoch);
        }
    }

    @Override
    public boolean epochSaved(Epoch epoch) {
        for (TrainingObserver o : observers) {
            if (!o.epochSaved(epoch)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void runFinished(Trainer.Result result) {
        observers.forEach(o -> o.runFinished(result));
    }

    @Override
    public void diverged(TrainingDivergedException e) {
        observers.forEach(o -> o.diverged(e));
    }
}
