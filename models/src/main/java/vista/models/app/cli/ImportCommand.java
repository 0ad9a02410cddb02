package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.app.provenance.WeightImport;
import vista.models.zoo.ModelZoo;
import vista.nn.checkpoint.Checkpoint;

/**
 * {@code vista import FILE --model M --out FILE.vckp}: converts weights of a zoo model (PyTorch, safetensors)
 * into a Vista checkpoint with their provenance ({@link WeightImport}). Exit status 0, 1 when the weights
 * cannot be read, do not fit or the checkpoint cannot be written, 2 for invalid options.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert weights (PyTorch .pth/.pt, safetensors) of a zoo model into a Vista checkpoint.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The weight file, recognised by content.")
    Path source;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The zoo model the weights are for.")
    String model;

    @Option(names = "--classes", paramLabel = "N",
            description = "The model's classes (default: 1000 for ImageNet models, else 10).")
    Integer classes;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The checkpoint to write (.vckp).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AttentionRecipeOption recipe = new AttentionRecipeOption();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = UsageError.first(!ModelZoo.names().contains(model) ? "Unknown model " + model + "; the models"
                + " are " + ModelZoo.names() + "." : null,
                classes != null && classes < 1 ? "--classes must be at least 1, got " + classes + "." : null,
                recipe.problem());
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        try {
            Checkpoint written = WeightImport.write(source, model, recipe.recipe(), classes, out);
            stdout.println("wrote " + written.model().size() + " tensors of " + model + " from "
                    + written.config().get("imported_format") + " (SHA-256 " + written.config().get("imported_sha256")
                    + ") to " + out.toAbsolutePath());
            stdout.flush();
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("vista import: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
