package vista.models.app.attention;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import vista.nn.checkpoint.AtomicFiles;

/**
 * Draws {@link WindowWeights} as a picture: one panel per head of SASA ({@link PixelAttention}) or per
 * weight-channel group of SAN ({@link SanPixelWeights}), side by side, each the input image enlarged with
 * every neighbour's value laid over the image pixels its cell covers as a translucent
 * {@link Inferno heat colour} (the larger the value, the brighter the colour and the less of the image
 * shows through), the window outlined in black and white, the chosen pixel outlined in cyan, a title strip
 * above ("head 1, max 0.421") and below a colour bar and the legend of the outlines.
 *
 * <p>Each panel is coloured on its own scale, from 0 (or its smallest value, if negative) to its largest
 * value: a head that spreads its attention evenly would otherwise show as a uniform dark patch. The
 * largest value is in the title.
 *
 * <p>Layout: the image is enlarged {@code s = max(1, 224 / max(H, W))} times by repeating pixels (a
 * 28x28 image becomes 224x224), panels are {@value #GAP} pixels apart, the title strip is
 * {@value #TITLE} pixels high and the colour bar strip {@value #LEGEND}: the picture is
 * {@code panels W s + (panels - 1) GAP} by {@code TITLE + H s + LEGEND} pixels, plus a line of
 * {@value #KEY_LINE} for the outlines' legend when it is narrower than {@value #KEY_INLINE_WIDTH} (one panel).
 */
public final class AttentionPicture {
    static final int GAP = 12;
    static final int TITLE = 22;
    static final int LEGEND = 26;
    /** A picture narrower than this draws the outlines' legend on a line of its own, {@value #KEY_LINE} high. */
    static final int KEY_INLINE_WIDTH = 440;
    static final int KEY_LINE = 18;
    /** How much of a neighbour's heat colour covers the image under it, from weight 0 to the head's largest. */
    private static final double FAINTEST = 0.25;
    private static final double STRONGEST = 0.85;
    private static final Color QUERY = new Color(0, 229, 255);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private AttentionPicture() {
    }

    /** The factor s by which an image of {@code height x width} is enlarged. */
    public static int scale(int height, int width) {
        return Math.max(1, 224 / Math.max(height, width));
    }

    /**
     * The picture of {@code attention} over the image whose pixels are {@code chw}: bytes 0 to 255,
     * channel planes of {@code attention.imageHeight() x attention.imageWidth()}. One channel is drawn
     * grey, three as RGB; of any other number, the first channel is drawn grey.
     */
    public static BufferedImage draw(byte[] chw, int channels, WindowWeights attention) {
        int height = attention.imageHeight();
        int width = attention.imageWidth();
        int s = scale(height, width);
        int heads = attention.panels();
        int panelWidth = width * s;
        int pictureWidth = heads * panelWidth + (heads - 1) * GAP;
        boolean keyInline = pictureWidth >= KEY_INLINE_WIDTH;
        BufferedImage picture = new BufferedImage(pictureWidth, TITLE + height * s + LEGEND + (keyInline ? 0 : KEY_LINE),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
            g.setFont(FONT);
            for (int head = 0; head < heads; head++) {
                int left = head * (panelWidth + GAP);
                drawPanel(picture, left, chw, channels, attention, head);
                g.setColor(Color.BLACK);
                g.drawString(attention.panelTitle(head), left + 2, TITLE - 6);
                outlineWindow(g, left, attention);
                g.setColor(QUERY);
                g.setStroke(new BasicStroke(2));
                g.drawRect(left + attention.column() * s - 1, TITLE + attention.row() * s - 1, s + 1, s + 1);
            }
            drawLegend(g, TITLE + height * s, attention.scaleStart(), attention.scaleName(), pictureWidth, keyInline);
        } finally {
            g.dispose();
        }
        return picture;
    }

    /** The image enlarged at ({@code left}, {@value #TITLE}), with the head's weights laid over it. */
    private static void drawPanel(BufferedImage picture, int left, byte[] chw, int channels, WindowWeights attention,
            int head) {
        int height = attention.imageHeight();
        int width = attention.imageWidth();
        int s = scale(height, width);
        int k = attention.kernelSize();
        float largest = attention.largest(head);
        float smallest = attention.smallest(head);
        float[] values = attention.panel(head);
        int[] heat = new int[height * width];
        double[] opacity = new double[height * width];
        for (int n = 0; n < k * k; n++) {
            int a = n / k;
            int e = n % k;
            if (!attention.onMap(a, e)) {
                continue;
            }
            int cellRow = attention.neighbourRow(a);
            int cellColumn = attention.neighbourColumn(e);
            double share = largest > smallest ? (values[n] - smallest) / (largest - smallest) : 0;
            int colour = Inferno.rgb(share);
            for (int y = attention.firstImageRow(cellRow); y < attention.firstImageRow(cellRow + 1); y++) {
                for (int x = attention.firstImageColumn(cellColumn); x < attention.firstImageColumn(cellColumn + 1); x++) {
                    heat[y * width + x] = colour;
                    opacity[y * width + x] = FAINTEST + (STRONGEST - FAINTEST) * share;
                }
            }
        }
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                int red = chw[p] & 0xFF;
                int green = channels == 3 ? chw[plane + p] & 0xFF : red;
                int blue = channels == 3 ? chw[2 * plane + p] & 0xFF : red;
                red = blend(red, heat[p] >> 16 & 0xFF, opacity[p]);
                green = blend(green, heat[p] >> 8 & 0xFF, opacity[p]);
                blue = blend(blue, heat[p] & 0xFF, opacity[p]);
                int rgb = red << 16 | green << 8 | blue;
                for (int dy = 0; dy < s; dy++) {
                    for (int dx = 0; dx < s; dx++) {
                        picture.setRGB(left + x * s + dx, TITLE + y * s + dy, rgb);
                    }
                }
            }
        }
    }

    private static int blend(int image, int heat, double opacity) {
        return (int) Math.round((1 - opacity) * image + opacity * heat);
    }

    /**
     * A line around the window's cells on the map, black outside and white inside so that it shows on
     * dark and light images alike.
     */
    private static void outlineWindow(Graphics2D g, int left, WindowWeights attention) {
        int s = scale(attention.imageHeight(), attention.imageWidth());
        int r = attention.kernelSize() / 2 * attention.dilation();
        int top = s * attention.firstImageRow(Math.max(0, attention.cellRow() - r));
        int bottom = s * attention.firstImageRow(Math.min(attention.mapHeight(), attention.cellRow() + r + 1));
        int start = s * attention.firstImageColumn(Math.max(0, attention.cellColumn() - r));
        int end = s * attention.firstImageColumn(Math.min(attention.mapWidth(), attention.cellColumn() + r + 1));
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawRect(left + start - 1, TITLE + top - 1, end - start + 1, bottom - top + 1);
        g.setColor(Color.WHITE);
        g.drawRect(left + start, TITLE + top, end - start - 1, bottom - top - 1);
    }

    /**
     * A colour bar from {@code scaleStart} to {@code scaleName} at the left of the bottom strip (narrower in
     * a narrow picture), and the legend of the outlines, the window and the chosen pixel: beside the bar if
     * {@code keyInline}, else on the line below.
     */
    private static void drawLegend(Graphics2D g, int top, String scaleStart, String scaleName, int pictureWidth,
            boolean keyInline) {
        int startWidth = g.getFontMetrics().stringWidth(scaleStart);
        int barLeft = 8 + startWidth;
        int barWidth = Math.clamp(pictureWidth - barLeft - 12 - g.getFontMetrics().stringWidth(scaleName), 30, 120);
        int barTop = top + 8;
        int barHeight = 10;
        for (int x = 0; x < barWidth; x++) {
            g.setColor(new Color(Inferno.rgb((double) x / (barWidth - 1))));
            g.fillRect(barLeft + x, barTop, 1, barHeight);
        }
        g.setColor(Color.BLACK);
        g.drawString(scaleStart, barLeft - startWidth - 3, barTop + barHeight);
        int end = barLeft + barWidth + 4;
        g.drawString(scaleName, end, barTop + barHeight);
        int keyLeft = keyInline ? end + g.getFontMetrics().stringWidth(scaleName) + 24 : 9;
        if (!keyInline) {
            barTop += KEY_LINE;
        }
        String window = "window";
        String pixel = "chosen pixel";
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawRect(keyLeft - 1, barTop - 1, barHeight + 1, barHeight + 1);
        g.setColor(Color.WHITE);
        g.drawRect(keyLeft, barTop, barHeight - 1, barHeight - 1);
        g.setColor(Color.BLACK);
        g.drawString(window, keyLeft + barHeight + 6, barTop + barHeight);
        int pixelLeft = keyLeft + barHeight + 6 + g.getFontMetrics().stringWidth(window) + 20;
        g.setColor(QUERY);
        g.setStroke(new BasicStroke(2));
        g.drawRect(pixelLeft, barTop, barHeight, barHeight);
        g.setColor(Color.BLACK);
        g.drawString(pixel, pixelLeft + barHeight + 6, barTop + barHeight);
    }

    /**
     * Writes {@code picture} as a PNG to {@code file}, creating its folder, atomically ({@link AtomicFiles}:
     * a new temporary file renamed over it, so a reader never sees half a picture and a link at either name
     * is never written through).
     *
     * @throws IOException naming the file or folder that cannot be written, and why
     */
    public static void writePng(BufferedImage picture, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        AtomicFiles.createFolders(target.getParent());
        AtomicFiles.write(target, out -> {
            try (ImageOutputStream image = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(picture, "png", image)) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            }
        });
    }
}
