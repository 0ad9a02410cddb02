package vista.models.app.attention;

/**
 * A heat colour for a value in [0, 1]: five stops of matplotlib's perceptually uniform "inferno" map
 * (near-black, purple, crimson, orange, pale yellow, at 0, 1/4, 1/2, 3/4 and 1), linearly interpolated
 * in sRGB between them. Brightness rises steadily with the value, so the order survives in grey print
 * and for colour-blind readers.
 */
final class Inferno {
    private static final int[][] STOPS = {
        {0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164},
    };

    private Inferno() {
    }

    /** The colour of {@code value} (clamped to [0, 1]) as 0xRRGGBB. */
    static int rgb(double value) {
        double position = Math.clamp(value, 0, 1) * (STOPS.length - 1);
        int stop = Math.min((int) position, STOPS.length - 2);
        double t = position - stop;
        int rgb = 0;
        for (int channel = 0; channel < 3; channel++) {
            double c = STOPS[stop][channel] + t * (STOPS[stop + 1][channel] - STOPS[stop][channel]);
            rgb = rgb << 8 | (int) Math.round(c);
        }
        return rgb;
    }
}
