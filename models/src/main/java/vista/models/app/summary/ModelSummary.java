package vista.models.app.summary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vista.autograd.Autograd;
import vista.autograd.Complexity;
import vista.autograd.Complexity.Cost;
import vista.autograd.Ledger;
import vista.autograd.Variable;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * What a model costs, layer by layer: output shapes, parameters and operation counts for one image.
 *
 * <p><b>How it is computed.</b> The model runs one forward pass on a batch of one (zeros of shape
 * {@code (1, C, H, W)}) in evaluation mode without gradients, with a {@link Ledger} open, which
 * records every call of a layer with its input and output shapes. Each call becomes a {@link Layer}
 * row, named by its registration path ({@code layer1.0.conv2}); its cost comes from the layer itself
 * ({@link Complexity}), so a new kind of layer reports its own cost without any change here.
 *
 * <p><b>Conventions</b> (those of {@link Complexity}):
 * <ul>
 *   <li>{@value #MACS_CONVENTION}</li>
 *   <li>{@value #FLOPS_CONVENTION}</li>
 *   <li>{@value #OTHER_OPS_CONVENTION}</li>
 *   <li>{@value #PAPER_COUNT_CONVENTION}</li>
 * </ul>
 * Under them ResNet-50 at 224 x 224 costs 4,089,184,256 MACs, torchvision's "4.09 GFLOPS", which are
 * multiply-adds too. A second total, {@link #paperMacs()}, counts each layer as its paper does
 * ({@link Complexity#paperCost}); it differs only for SASA attention layers, whose paper counts the
 * positional logits as a full product (the last convention above).
 *
 * <p><b>Parameters</b> of a row are those of the layer and its descendants, counted at its first call
 * only (a layer called twice shares its weights). Parameters no recorded layer holds (a layer that
 * does not record, or was not called) get a row of their own without shapes, so the rows' parameters
 * always add up to {@link Module#parameterCount()}. Layers the model calls without registering them
 * ({@code registerModule}) have no path; their rows say {@value #UNREGISTERED}.
 *
 * <p>The model's mode is restored afterwards with {@link Module#train(boolean)} on the root, which sets
 * every descendant to the root's mode.
 */
public final class ModelSummary {
    /** What MACs count. */
    public static final String MACS_CONVENTION = "MACs = multiply-adds of convolutions and linear layers, and of "
            + "attention layers' projections, logits (q·k, q·r) and weighted sums of values; bias adds are not MACs";
    /** How FLOPs follow from MACs. */
    public static final String FLOPS_CONVENTION = "FLOPs = 2 x MACs (a multiply-add is two floating-point "
            + "operations); other ops are not included";
    /** What other ops count. */
    public static final String OTHER_OPS_CONVENTION = "other ops = elementwise work reported separately, "
            + "not part of MACs or FLOPs: bias adds, BatchNorm (2 per element), ReLU layers (1 per element), "
            + "pooling (1 per window cell read), attention softmax (1 per logit)";
    /** How the paper's count differs, when it does. */
    public static final String PAPER_COUNT_CONVENTION = "FLOPs, paper's count = 2 x MACs with each layer counted "
            + "as its paper counts it where that differs: SASA's Table 1 counts an attention layer's positional "
            + "logits q·r as k·k·C multiply-adds per pixel (as if logit = q·(k + r)), ours k·C";
    /** What the counts cannot see. */
    public static final String NOT_COUNTED = "not counted: operations a model applies as functions rather than "
            + "through layers, such as ResNet's x.relu() calls and residual additions";
    /** The path shown for a layer the model calls but never registered. */
    public static final String UNREGISTERED = "(unregistered)";

    /**
     * One row: a call of a recorded layer, or a holder of parameters that ran no recorded call.
     *
     * @param path     the layer's registration path, e.g. {@code layer1.0.conv2} ({@value #UNREGISTERED}
     *                 for a layer that is not registered, {@code ""} for the model itself)
     * @param type     the layer's class, e.g. {@code Conv2d}
     * @param input    the input shape of the call, batch first; null if the row is not a call
     * @param output   the output shape of the call; null if the row is not a call
     * @param params   parameters first counted on this row
     * @param cost     the call's cost; null if the layer does not implement {@link Complexity} or the row
     *                 is not a call
     */
    public record Layer(String path, String type, Shape input, Shape output, long params, Cost cost) {
        /** True for a recorded call, false for parameters of layers that never recorded one. */
        public boolean isCall() {
            return output != null;
        }

        /** The row's multiply-adds (0 when unknown). */
        public long macs() {
            return cost == null ? 0 : cost.macs();
        }

        /** The row's other ops (0 when unknown). */
        public long otherOps() {
            return cost == null ? 0 : cost.otherOps();
        }
    }

    private final Shape image;
    private final Shape output;
    private final List<Layer> layers;
    private final long params;
    private final long paperMacs;

    private ModelSummary(Shape image, Shape output, List<Layer> layers, long params, long paperMacs) {
        this.image = image;
        this.output = output;
        this.layers = Collections.unmodifiableList(layers);
        this.params = params;
        this.paperMacs = paperMacs;
    }

    /**
     * The summary of {@code model} on one image of shape {@code image} = {@code (C, H, W)}.
     *
     * @throws IllegalArgumentException if {@code image} is not three positive sizes, or the model rejects
     *     it (the model's own message, e.g. an image too small for its strides)
     * @throws IllegalStateException if a recorded layer contains another recorded layer (their work
     *     would be counted twice)
     */
    public static ModelSummary of(Module model, Shape image) {
        if (image.rank() != 3 || image.numel() == 0) {
            throw new IllegalArgumentException("ModelSummary: expected an image shape (C, H, W) of positive sizes, got "
                    + image);
        }
        int[] batchOfOne = {1, image.dim(0), image.dim(1), image.dim(2)};
        boolean training = model.isTraining();
        Variable output;
        List<Ledger.LayerCall> calls;
        model.eval();
        try (var scope = Autograd.noGrad(); Ledger ledger = Ledger.open()) {
            output = model.forward(new Variable(Tensor.zeros(batchOfOne)));
            calls = ledger.layerCalls();
        } finally {
            model.train(training);
        }
        Map<Module, String> paths = paths(model);
        checkNoNestedRecording(calls);

        List<Layer> layers = new ArrayList<>();
        Set<Object> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        long paperMacs = 0;
        for (Ledger.LayerCall call : calls) {
            Module m = (Module) call.layer();
            long params = 0;
            for (Variable p : m.namedParameters().values()) {
                if (counted.add(p)) {
                    params += p.numel();
                }
            }
            Cost cost = call.cost();
            paperMacs += cost == null ? 0 : call.paperCost().macs();
            layers.add(new Layer(paths.getOrDefault(m, UNREGISTERED), m.getClass().getSimpleName(), call.input(),
                    call.output(), params, cost));
        }
        layers.addAll(parametersOutsideCalls(model, paths, counted));
        return new ModelSummary(image, output.shape(), layers, model.parameterCount(), paperMacs);
    }

    /** The registration path of every module reachable through {@link Module#children()}, root {@code ""}. */
    private static Map<Module, String> paths(Module model) {
        Map<Module, String> paths = new IdentityHashMap<>();
        collectPaths(model, "", paths);
        return paths;
    }

    private static void collectPaths(Module module, String path, Map<Module, String> paths) {
        paths.putIfAbsent(module, path);
        module.children().forEach((name, child) -> collectPaths(child, path.isEmpty() ? name : path + "." + name, paths));
    }

    private static void checkNoNestedRecording(List<Ledger.LayerCall> calls) {
        Set<Module> recorded = Collections.newSetFromMap(new IdentityHashMap<>());
        calls.forEach(call -> recorded.add((Module) call.layer()));
        for (Module m : recorded) {
            Module inner = findRecordedDescendant(m, recorded);
            if (inner != null) {
                throw new IllegalStateException("ModelSummary: " + m + " records its forward calls and so does "
                        + "its descendant " + inner + "; only the layers that do the work may record, or it would "
                        + "be counted twice");
            }
        }
    }

    private static Module findRecordedDescendant(Module m, Set<Module> recorded) {
        for (Module child : m.children().values()) {
            if (recorded.contains(child)) {
                return child;
            }
            Module deeper = findRecordedDescendant(child, recorded);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    /** Rows for parameters no recorded call holds, one per owning module, in registration order. */
    private static List<Layer> parametersOutsideCalls(Module model, Map<Module, String> paths, Set<Object> counted) {
        Map<Module, Long> owners = new LinkedHashMap<>();
        Map<String, Module> byPath = new LinkedHashMap<>();
        paths.forEach((module, path) -> byPath.put(path, module));
        model.namedParameters().forEach((name, p) -> {
            if (counted.add(p)) {
                int dot = name.lastIndexOf('.');
                Module owner = byPath.get(dot < 0 ? "" : name.substring(0, dot));
                owners.merge(owner, (long) p.numel(), Long::sum);
            }
        });
        List<Layer> rows = new ArrayList<>();
        owners.forEach((owner, params) -> rows.add(new Layer(paths.get(owner), owner.getClass().getSimpleName(),
                null, null, params, null)));
        return rows;
    }

    /** The image shape {@code (C, H, W)}. */
    public Shape image() {
        return image;
    }

    /** The model's output shape for a batch of one. */
    public Shape output() {
        return output;
    }

    /** The rows: calls in the order they ran, then parameters outside any call. */
    public List<Layer> layers() {
        return layers;
    }

    /** The model's parameter count, {@link Module#parameterCount()} (also the sum over the rows). */
    public long params() {
        return params;
    }

    /** Multiply-adds of one forward pass on one image: the sum over the rows. */
    public long macs() {
        return layers.stream().mapToLong(Layer::macs).sum();
    }

    /** {@code 2 x} {@link #macs()}. */
    public long flops() {
        return 2 * macs();
    }

    /**
     * Multiply-adds with every layer counted as its paper counts it ({@link Complexity#paperCost}):
     * {@link #macs()} except for SASA attention layers, whose positional logits count {@code k² C}
     * instead of {@code k C} per pixel.
     */
    public long paperMacs() {
        return paperMacs;
    }

    /** {@code 2 x} {@link #paperMacs()}: what SASA's Table 1 calls FLOPs. */
    public long paperFlops() {
        return 2 * paperMacs;
    }

    /** Other ops of one forward pass on one image: the sum over the rows. */
    public long otherOps() {
        return layers.stream().mapToLong(Layer::otherOps).sum();
    }

    /** Paths (or types, for unregistered layers) of recorded layers that report no cost; usually empty. */
    public List<String> layersWithoutCost() {
        return layers.stream().filter(l -> l.isCall() && l.cost() == null)
                .map(l -> l.path().equals(UNREGISTERED) ? l.type() : l.path()).distinct().toList();
    }
}
