package vista.models.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import vista.models.zoo.resnet.ResNet;
import vista.models.zoo.resnet.ResNetSpec;
import vista.models.zoo.resnet.ResNetSpec.Spatial;
import vista.models.zoo.san.San;
import vista.models.zoo.san.SanSpec;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.geometry.LocalAttentionWindow.Border;

/**
 * The models Vista can build by name, as {@code vista train --model NAME} and {@code vista summary}
 * take them.
 *
 * <ul>
 *   <li>{@code resnet26}, {@code resnet38}, {@code resnet50}: bottleneck ResNets with [1, 2, 4, 1],
 *       [2, 3, 5, 2] and [3, 4, 6, 3] blocks, widths 64-128-256-512 (x4), the ImageNet stem;</li>
 *   <li>{@code resnet26-small} etc.: the same with a 3x3 stride-1 stem and no max pool, for 28x28 and
 *       32x32 images (a 28x28 input reaches the head at 4x4);</li>
 *   <li>{@code resnet26-mini}: the PyTorch peer's {@code resnet26_mini}, for side-by-side timing and
 *       quick real runs: [1, 2, 4, 1] blocks, a 16-channel 3x3 stem, widths 16-32-64-128 (x4), strides
 *       1, 2, 2, 1 (28x28 -> 28, 14, 7, 7);</li>
 *   <li>{@code sasa-resnet26}, {@code sasa-resnet38}, {@code sasa-resnet50}: SASA's "conv-stem +
 *       attention" networks (Ramachandran et al. 2019, Table 1): the ResNets above with the ImageNet
 *       convolution stem kept and every bottleneck's 3x3 convolution replaced by local self-attention,
 *       7x7 window, 8 heads, masked border (stride 2: attention, then 2x2 average pooling);</li>
 *   <li>{@code sasa-resnet26-small} etc.: the same with the small stem. The image size must stay even
 *       down to the last stride-2 stage (32x32 works, 28x28 does not: stage 4 would pool 7x7 to 3x3
 *       while the shortcut gives 4x4), as in the peer;</li>
 *   <li>{@code sasa-resnet26-full}, {@code sasa-resnet38-full}, {@code sasa-resnet50-full}: SASA's "full
 *       attention" networks (Table 1): {@code sasa-resnet26} etc. with the convolution stem replaced by
 *       the attention stem ({@link vista.nn.sasa.AttentionStem}: attention with spatially aware values in 4x4
 *       blocks, 64 channels, 4 heads, 4 mixtures, then BatchNorm, ReLU and a 4x4 stride-4 max pool,
 *       224 -> 56). Image sides must be multiples of 32 (the stem's 4, then three halvings). There are no
 *       {@code -small-full} models: the small stem keeps the resolution, and the attention stem is defined
 *       by its pooling window, so on 28x28 or 32x32 images it would leave 7x7 or 8x8 for the first stage,
 *       a different network; a block of 1 (no pool) would attend to the pixel alone;</li>
 *   <li>{@code sasa-resnet26-mini}: the peer's {@code sasa26_mini}, {@code resnet26-mini} with SASA
 *       attention, 7x7 window, 4 heads (dh = 4, 8, 16, 32), masked border; fits 28x28.</li>
 *   <li>{@code san10-pairwise}, {@code san15-pairwise}, {@code san19-pairwise} and the {@code -patchwise}
 *       ones: SAN (Zhao, Jia and Koltun 2020) with the official structure ({@link SanSpec#imagenet}):
 *       [2, 1, 2, 4, 1], [3, 2, 3, 5, 2] and [3, 3, 4, 6, 3] blocks, widths 64-256-512-1024-2048,
 *       footprints 3-7-7-7-7, reflection padding;</li>
 *   <li>{@code san10-pairwise-mini} etc.: the same blocks at widths 32-64-...-512 with max pools before
 *       stages 1 and 2 only ({@link SanSpec#small}: 28x28 -> 28, 14, 7, 7, 7, so every 7x7 footprint
 *       still fits); {@code san10-*-mini} are the peer's {@code san10_*_mini}.</li>
 * </ul>
 * Each model also has the image it is made for ({@link #defaultImage}: 3x224x224 for the ImageNet
 * networks, 1x28x28 (Fashion-MNIST) for the {@code -small} ResNets and the {@code -mini} networks,
 * 3x32x32 (CIFAR) for the {@code -small} SASA networks) and its number of classes
 * ({@link #defaultClasses}: 1000 for ImageNet, else 10), which {@code vista summary} uses when it is
 * not told, and the sizes it takes ({@link #inputSizeProblem}, from its specification's arithmetic), which
 * {@code vista train} checks before it writes anything. A name it does not know gets the known names
 * closest to it ({@link #nameProblem}).
 */
public final class ModelZoo {
    /**
     * The name of every zoo model's classifier, the final linear layer ({@code fc.weight}, {@code fc.bias}):
     * the only weights whose shape depends on the number of classes (torchvision's and the official SAN
     * code's name).
     */
    public static final String CLASSIFIER = "fc";

    /**
     * What a model needs besides its name: the input channels, the number of classes, the RNG, and for SASA
     * networks the {@link AttentionRecipe} (the other networks ignore it).
     */
    public record Request(int inChannels, int numClasses, Rng rng, AttentionRecipe recipe) {
        /** A request with the default recipe, {@link AttentionRecipe#TUNED}. */
        public Request(int inChannels, int numClasses, Rng rng) {
            this(inChannels, numClasses, rng, AttentionRecipe.TUNED);
        }
    }

    private static final Shape IMAGENET = Shape.of(3, 224, 224);
    private static final Shape FASHION_MNIST = Shape.of(1, 28, 28);
    private static final Shape CIFAR = Shape.of(3, 32, 32);

    /** Any request: the image sides a network takes depend on neither its channels nor its classes. */
    private static final Request ANY = new Request(1, 1, null);

    /** The largest edit distance at which an unknown name is taken for a typo of a known one. */
    private static final int TYPO_DISTANCE = 2;

    /**
     * How to build a model, the image it is made for, and why an image side cannot pass through it (a
     * phrase, null if it can).
     */
    private record Entry(Function<Request, Module> factory, Shape image, IntFunction<String> sideProblem) {
    }

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        resnet("resnet26", new int[] {1, 2, 4, 1});
        resnet("resnet38", new int[] {2, 3, 5, 2});
        resnet("resnet50", new int[] {3, 4, 6, 3});
        resnetEntry("resnet26-mini", FASHION_MNIST, ModelZoo::mini);
        sasaResnet("sasa-resnet26", new int[] {1, 2, 4, 1});
        sasaResnet("sasa-resnet38", new int[] {2, 3, 5, 2});
        sasaResnet("sasa-resnet50", new int[] {3, 4, 6, 3});
        resnetEntry("sasa-resnet26-mini", FASHION_MNIST, r -> sasa(mini(r), 4, r.recipe()));
        san("san10", new int[] {2, 1, 2, 4, 1});
        san("san15", new int[] {3, 2, 3, 5, 2});
        san("san19", new int[] {3, 3, 4, 6, 3});
    }

    private ModelZoo() {
    }

    private static void resnet(String name, int[] blocks) {
        resnetEntry(name, IMAGENET, r -> ResNetSpec.standard(blocks, ResNetSpec.Stem.imagenet(), r.inChannels(),
                r.numClasses()));
        resnetEntry(name + "-small", FASHION_MNIST, r -> ResNetSpec.standard(blocks, ResNetSpec.Stem.small(),
                r.inChannels(), r.numClasses()));
    }

    private static void sasaResnet(String name, int[] blocks) {
        resnetEntry(name, IMAGENET, r -> sasa(ResNetSpec.standard(blocks, ResNetSpec.Stem.imagenet(), r.inChannels(),
                r.numClasses()), 8, r.recipe()));
        resnetEntry(name + "-small", CIFAR, r -> sasa(ResNetSpec.standard(blocks, ResNetSpec.Stem.small(),
                r.inChannels(), r.numClasses()), 8, r.recipe()));
        resnetEntry(name + "-full", IMAGENET, r -> sasa(ResNetSpec.standard(blocks,
                ResNetSpec.SelfAttentionStem.imagenet().withScaledLogits(r.recipe().scaledLogits()), r.inChannels(),
                r.numClasses()), 8, r.recipe()));
    }

    /**
     * {@code resnet} with SASA's attention (a 7x7 window, masked border, {@code heads} heads) in place of its
     * 3x3 convolutions, scaled and initialised as {@code recipe} says.
     */
    private static ResNetSpec sasa(ResNetSpec resnet, int heads, AttentionRecipe recipe) {
        return resnet.withSpatial(new Spatial.SelfAttention(7, heads, Border.MASK, recipe.scaledLogits(),
                        recipe.unitEmbeddings()))
                .withZeroInitLastNorm(recipe.zeroInitResidual());
    }

    private static void san(String name, int[] blocks) {
        for (SanSpec.Attention attention : List.of(SanSpec.Attention.pairwise(), SanSpec.Attention.patchwise())) {
            String full = name + "-" + attention.kind();
            sanEntry(full, IMAGENET, r -> SanSpec.imagenet(attention, blocks, r.inChannels(), r.numClasses()));
            sanEntry(full + "-mini", FASHION_MNIST, r -> SanSpec.small(attention, blocks, r.inChannels(),
                    r.numClasses()));
        }
    }

    private static void resnetEntry(String name, Shape image, Function<Request, ResNetSpec> spec) {
        MODELS.put(name, new Entry(r -> new ResNet(spec.apply(r), r.rng()), image, spec.apply(ANY)::sideProblem));
    }

    private static void sanEntry(String name, Shape image, Function<Request, SanSpec> spec) {
        MODELS.put(name, new Entry(r -> new San(spec.apply(r), r.rng()), image, spec.apply(ANY)::sideProblem));
    }

    /** The peer's slim 28x28 ResNet-26 ({@code resnet26_mini}). */
    private static ResNetSpec mini(Request r) {
        return new ResNetSpec(r.inChannels(), r.numClasses(), new ResNetSpec.Stem(16, 3, 1, 1, false),
                new int[] {1, 2, 4, 1}, new int[] {16, 32, 64, 128}, new int[] {1, 2, 2, 1}, 4, false);
    }

    /** Every model name, in a stable order. */
    public static Set<String> names() {
        return MODELS.keySet();
    }

    /** Builds the model {@code name}, initialised from {@code request.rng()}. */
    public static Module create(String name, Request request) {
        return entry(name).factory().apply(request);
    }

    /**
     * Whether {@link Request#recipe()} shapes the model {@code name}: true for the SASA networks, whose
     * logit scale and initialisation it sets; the others ignore it.
     */
    public static boolean usesAttentionRecipe(String name) {
        entry(name);
        return name.startsWith("sasa-");
    }

    /** The image {@code (C, H, W)} the model {@code name} is made for. */
    public static Shape defaultImage(String name) {
        return entry(name).image();
    }

    /** The classes of the data set the model {@code name} is made for: 1000 for ImageNet, else 10. */
    public static int defaultClasses(String name) {
        return entry(name).image().equals(IMAGENET) ? 1000 : 10;
    }

    /**
     * Why the model {@code name} cannot take images of {@code height x width} pixels, as a sentence that
     * names the model, the size, the layer that cannot take it and the nearest sides that fit; null if it
     * can take them. Any number of channels fits: the first layer is built for the data's.
     */
    public static String inputSizeProblem(String name, int height, int width) {
        Entry entry = entry(name);
        for (int side : new int[] {height, width}) {
            String problem = entry.sideProblem().apply(side);
            if (problem != null) {
                return name + " cannot take images of " + height + " x " + width + " pixels: " + problem + ". "
                        + nearestSides(entry, side) + " (it is made for " + entry.image().dim(1) + " x "
                        + entry.image().dim(2) + ").";
            }
        }
        return null;
    }

    /** The largest side below {@code side} and the smallest above it that {@code entry} takes, as a sentence. */
    private static String nearestSides(Entry entry, int side) {
        int below = side - 1;
        while (below >= 1 && entry.sideProblem().apply(below) != null) {
            below--;
        }
        int above = side + 1;
        while (entry.sideProblem().apply(above) != null) {
            above++;
        }
        return below >= 1 ? "The sides nearest " + side + " that it takes are " + below + " and " + above
                : "The smallest side it takes is " + above;
    }

    /**
     * Why {@code name} is not a model of the zoo, as a sentence that offers the closest names (a typo's
     * likely intent) or else lists them all; null if it is one.
     */
    public static String nameProblem(String name) {
        if (MODELS.containsKey(name)) {
            return null;
        }
        List<String> close = closestNames(name);
        return close.isEmpty()
                ? name + " is not a model Vista knows; choose one of: " + String.join(", ", names()) + "."
                : name + " is not a model Vista knows; did you mean " + String.join(" or ", close) + "?";
    }

    /**
     * The names at the smallest edit distance from {@code name} (ignoring case), if that distance is at
     * most {@value #TYPO_DISTANCE}; empty if no name is that close.
     */
    static List<String> closestNames(String name) {
        String typed = name.toLowerCase(Locale.ROOT);
        int best = TYPO_DISTANCE;
        List<String> closest = new ArrayList<>();
        for (String known : names()) {
            int distance = editDistance(typed, known);
            if (distance < best) {
                closest.clear();
                best = distance;
            }
            if (distance == best) {
                closest.add(known);
            }
        }
        return closest;
    }

    /**
     * The Levenshtein distance: the fewest insertions, deletions and substitutions of one character that
     * turn {@code a} into {@code b}. Row by row over b's prefixes: {@code row[j]} is the distance from
     * the prefix of {@code a} seen so far to {@code b}'s first j characters.
     */
    static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int substitution = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(substitution, Math.min(above, row[j - 1]) + 1);
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static Entry entry(String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return MODELS.get(name);
    }
}
