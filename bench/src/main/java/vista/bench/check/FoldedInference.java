package vista.bench.check;

import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.inference.Folding;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * One forward pass of an ImageNet zoo model's inference form ({@link Folding}: BatchNorm folded into the
 * convolutions, ReLUs and residual adds in their epilogues) on a single random image of 3 x
 * {@value #SIDE} x {@value #SIDE}, under no-grad: what {@code vista predict} runs per image. The model
 * and the image come from the named streams of {@code new Rng(7)} ("init", "data"), as in
 * {@code InferenceLatency}; {@code bench/compare/pytorch_training.py}'s {@code *_inference} cases time
 * the peer's model in evaluation mode under {@code torch.inference_mode()} on the same size.
 */
public final class FoldedInference {
    /** The image side of the papers' ImageNet evaluation. */
    public static final int SIDE = 224;

    private final Module folded;
    private final Variable image;

    /** Builds {@code model} (a zoo name of an ImageNet network), folds it and draws the image. */
    public FoldedInference(String model) {
        Rng rng = new Rng(7);
        folded = Folding.fold(ModelZoo.create(model, new ModelZoo.Request(3, ModelZoo.defaultClasses(model),
                rng.split("init"))));
        image = new Variable(Tensor.randn(rng.split("data"), 1, 3, SIDE, SIDE));
    }

    /** Runs one forward pass and returns its first logit. */
    @SuppressWarnings("try") // the noGrad scope is used for its effect, not referenced
    public double run() {
        try (var scope = Autograd.noGrad()) {
            return folded.forward(image).data().get(0, 0);
        }
    }
}
