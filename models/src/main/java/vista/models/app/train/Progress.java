package vista.models.app.train;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The console display of work in progress (training steps, test batches) and of lines between them, in
 * one of two styles:
 * <ul>
 *   <li>{@link Mode#BAR}, for a terminal: one line redrawn in place (with a carriage return) after every
 *       step, {@code epoch 1/3  step 12/469  352 img/s  ETA 0:21  loss 0.8123  acc 71.2%};</li>
 *   <li>{@link Mode#LINES}, for logs (CI, files, pipes): the same line printed once every tenth of the
 *       epoch, so a log stays readable.</li>
 * </ul>
 * Images per second and the ETA (of the epoch) are measured from the start of the epoch; loss and
 * accuracy are the running means over the epoch's images so far.
 */
public final class Progress {
    /** The display style. */
    public enum Mode {
        BAR, LINES;

        /** BAR when standard output is a terminal, else LINES. */
        public static Mode forStandardOutput() {
            return stdoutIsTerminal() ? BAR : LINES;
        }
    }

    private final PrintWriter out;
    private final Mode mode;
    private int barLength;

    Progress(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    /** After training step {@code step} (from 1) of {@code steps} in epoch {@code epoch} (from 1) of {@code epochs}. */
    void trainStep(int epoch, int epochs, int step, int steps, long images, long nanos, double loss, double accuracy) {
        boolean newTenth = step == steps || (10L * step) / steps != (10L * (step - 1)) / steps;
        if (mode == Mode.LINES && !newTenth) {
            return;
        }
        double seconds = nanos / 1e9;
        double eta = seconds / step * (steps - step);
        String text = String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  %.1f img/s  ETA %s  loss %.4f  acc %.1f%%",
                epoch, epochs, step, steps, images / seconds, duration(eta), loss, 100 * accuracy);
        show(text);
    }

    /** After each test batch, with the images done so far (BAR mode only: logs get the result alone). */
    void testStep(int done, int total) {
        if (mode == Mode.BAR) {
            show(String.format(Locale.ROOT, "testing  %d/%d images", done, total));
        }
    }

    /** Prints a line of its own, first erasing the bar if one is drawn. */
    void line(String text) {
        erase();
        out.println(text);
        out.flush();
    }

    /** Erases the bar, if one is drawn (before an error is printed elsewhere). */
    void clear() {
        erase();
        out.flush();
    }

    private void show(String text) {
        if (mode == Mode.LINES) {
            out.println(text);
        } else {
            out.print("\r" + text + " ".repeat(Math.max(0, barLength - text.length())));
            barLength = text.length();
        }
        out.flush();
    }

    private void erase() {
        if (barLength > 0) {
            out.print("\r" + " ".repeat(barLength) + "\r");
            barLength = 0;
        }
    }

    /** {@code M:SS} or {@code H:MM:SS}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * True when standard output is an interactive terminal. {@link System#console()} is null when it is
     * not (JDK 21 and newer as configured by default); JDK 22+ can also say so with
     * {@code Console.isTerminal()}, looked up reflectively because Vista compiles for release 21.
     */
    private static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
