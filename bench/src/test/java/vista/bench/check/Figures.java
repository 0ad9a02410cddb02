package vista.bench.check;

/** Synthetic figures and machines for the tests. */
final class Figures {
    static final Machine HERE = new Machine("AMD EPYC 9R45", 2, 512, "25.0.3", "2.13.0+cpu");
    static final Machine ELSEWHERE = new Machine("Intel(R) Xeon(R) Platinum 8488C", 2, 512, "25.0.3", "2.13.0+cpu");

    private Figures() {
    }

    /** A figure of {@code resnet26-mini-step} at 1 thread with the given ratio (PyTorch 100 ms). */
    static Figure figure(Machine machine, String date, String commit, double ratio) {
        return figure(machine, date, commit, "resnet26-mini-step", 1, ratio);
    }

    static Figure figure(Machine machine, String date, String commit, String benchCase, int threads, double ratio) {
        return new Figure(date, commit, machine, benchCase, threads, 100 / ratio, 100, null, ratio, 0.02);
    }
}
