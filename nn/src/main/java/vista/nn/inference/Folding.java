package vista.nn.inference;

import java.util.ArrayList;
import java.util.List;
import vista.nn.BatchNorm2d;
import vista.nn.Conv2d;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.sasa.LocalSelfAttention2d;

/**
 * Builds the inference form of a network (see the package's rule): a {@link Foldable} module gives its own;
 * a {@link Sequential} is folded child by child, each {@code Conv2d, BatchNorm2d[, ReLU]} run (and
 * {@code Conv2d, ReLU}) becoming one {@link InferenceConv2d}, each masked-border
 * {@code LocalSelfAttention2d, BatchNorm2d[, ReLU]} one {@link FoldedLocalSelfAttention}, and any other
 * {@code BatchNorm2d, ReLU} one {@link InferenceNormRelu}; any other module is kept as it is, in evaluation
 * mode.
 */
public final class Folding {
    private Folding() {
    }

    /** The inference form of {@code module}; the module itself is put in evaluation mode and left unchanged. */
    public static Module fold(Module module) {
        module.eval();
        return foldEvaluated(module);
    }

    /** The modules {@code modules}, applied in order, folded as the children of a {@link Sequential} are. */
    public static Sequential sequence(Module... modules) {
        List<Module> folded = new ArrayList<>();
        for (int i = 0; i < modules.length; i++) {
            Module next = i + 1 < modules.length ? modules[i + 1] : null;
            boolean reluAfterNext = i + 2 < modules.length && modules[i + 2] instanceof ReLU;
            if (next instanceof BatchNorm2d norm && foldsNorm(modules[i])) {
                folded.add(withNorm(modules[i], norm, reluAfterNext));
                i += reluAfterNext ? 2 : 1;
            } else if (modules[i] instanceof BatchNorm2d norm && next instanceof ReLU) {
                folded.add(new InferenceNormRelu(norm));
                i++;
            } else if (modules[i] instanceof Conv2d conv && next instanceof ReLU) {
                folded.add(InferenceConv2d.of(conv, true));
                i++;
            } else {
                folded.add(fold(modules[i]));
            }
        }
        return new Sequential(folded.toArray(Module[]::new));
    }

    /**
     * {@code layer} followed by {@code norm} and, if {@code relu}, a ReLU, as one folded layer when the norm
     * folds into it (a {@link Conv2d}, a masked-border {@link LocalSelfAttention2d}); otherwise the layer kept
     * as it is, in evaluation mode, followed by the norm (with the ReLU: one {@link InferenceNormRelu}).
     */
    public static Module withNorm(Module layer, BatchNorm2d norm, boolean relu) {
        if (layer instanceof Conv2d conv) {
            return InferenceConv2d.folding(conv, norm, relu);
        }
        if (layer instanceof LocalSelfAttention2d attention && FoldedLocalSelfAttention.canFold(attention)) {
            return new FoldedLocalSelfAttention(attention, norm, relu);
        }
        Module kept = fold(layer);
        norm.eval();
        return relu ? new Sequential(kept, new InferenceNormRelu(norm)) : new Sequential(kept, norm);
    }

    private static boolean foldsNorm(Module layer) {
        return layer instanceof Conv2d
                || layer instanceof LocalSelfAttention2d attention && FoldedLocalSelfAttention.canFold(attention);
    }

    private static Module foldEvaluated(Module module) {
        if (module instanceof Foldable foldable) {
            return foldable.folded();
        }
        if (module instanceof Sequential) {
            return sequence(module.children().values().toArray(Module[]::new));
        }
        return module;
    }
}
