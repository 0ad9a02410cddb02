package vista.models.app.cli;

import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import vista.models.app.summary.ModelSummary;
import vista.models.app.summary.SummaryReport;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.tensor.Rng;
import vista.tensor.Shape;

/**
 * {@code vista summary --model NAME [--input CxHxW] [--classes N] [--json]}: a model's layers with their
 * output shapes, parameters and operation counts for one image, and the totals beside the published
 * figures where a paper gives them.
 *
 * <p>MACs are the multiply-adds of convolutions, attention layers and linear layers; FLOPs are
 * {@code 2 x MACs}; the elementwise work of BatchNorm, activation, softmax and pooling layers and of bias
 * adds is reported separately as "other ops" and is in neither (see {@link ModelSummary}). The output
 * says so too.
 *
 * <p>Defaults: the image and the number of classes the model is made for ({@link ModelZoo#defaultImage},
 * {@link ModelZoo#defaultClasses}): 3x224x224 and 1000 classes for the ImageNet networks, 1x28x28 and 10
 * for the {@code -small} ResNets and the {@code -mini} networks, 3x32x32 and 10 for the {@code -small}
 * SASA networks.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print a model's layers (output shape, parameters, MACs) and totals for one image.",
            "MACs = multiply-adds of convolutions, attention and linear layers; FLOPs = 2 x MACs; BatchNorm, ReLU, "
                    + "softmax, pooling and bias adds are counted separately as 'other ops'."})
final class SummaryCommand implements Callable<Integer> {
    private static final Pattern IMAGE = Pattern.compile("([1-9]\\d{0,8})x([1-9]\\d{0,8})x([1-9]\\d{0,8})");

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "The model, one of: ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Image channels x height x width (default: the model's own, 3x224x224 for ImageNet "
                    + "networks, 1x28x28 for -mini and -small ResNets, 3x32x32 for -small SASA networks).")
    String input;

    @Option(names = "--classes", paramLabel = "N",
            description = "Number of classes (default: 1000 for ImageNet networks, else 10).")
    Integer classes;

    @Mixin
    JsonOption json;

    @Mixin
    ThreadsOption threads;

    /** The zoo's names, for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelZoo.names().iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SummaryReport report;
        try {
            report = report();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vista summary: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (json.enabled) {
            System.out.println(report.json());
        } else {
            System.out.print(report.text());
        }
        return 0;
    }

    /** The report as the options ask; IllegalArgumentException with a sentence for bad options. */
    private SummaryReport report() {
        Shape image = input == null ? ModelZoo.defaultImage(model) : parseImage(input);
        int numClasses = classes == null ? ModelZoo.defaultClasses(model) : classes;
        if (numClasses < 1) {
            throw new IllegalArgumentException("--classes must be at least 1, got " + numClasses + ".");
        }
        String size = ModelZoo.inputSizeProblem(model, image.dim(1), image.dim(2));
        if (size != null) {
            throw new IllegalArgumentException("--input " + image.dim(0) + "x" + image.dim(1) + "x" + image.dim(2)
                    + " does not fit: " + size);
        }
        if (threads.problem() != null) {
            throw new IllegalArgumentException(threads.problem());
        }
        threads.apply();
        Module net = ModelZoo.create(model, new ModelZoo.Request(image.dim(0), numClasses, new Rng(0)));
        return SummaryReport.of(model, numClasses, ModelSummary.of(net, image));
    }

    /** {@code "3x224x224"} to the shape (3, 224, 224). */
    private static Shape parseImage(String text) {
        Matcher m = IMAGE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--input must have the form CxHxW, three positive sizes (channels x "
                    + "height x width) such as 3x224x224; got '" + text + "'.");
        }
        return Shape.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }
}
