package vista.models.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.nn.weights.torch.TorchZipWriter;
import vista.tensor.Tensor;

/**
 * {@code vista export}: writes the weights of a checkpoint of {@code vista train} as the state dict that
 * the PyTorch definition of the model expects ({@code load_state_dict(..., strict=True)}): Vista's names,
 * which are PyTorch's (torchvision's for the ResNets, the official code's for SAN, ../shared/peer's for
 * SASA), plus what PyTorch keeps and Vista does not: a {@code num_batches_tracked} counter (int64) beside
 * every BatchNorm's {@code running_var}, set to the checkpoint's step, the number of training batches
 * every BatchNorm has seen. Formats: {@code safetensors} (with the checkpoint's model, epoch and step in
 * its metadata) and {@code pth}, the zip archive of {@code torch.save} ({@link TorchZipWriter}). Exit
 * status 0, 1 when the checkpoint cannot be read or the file cannot be written, 2 for invalid options.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a checkpoint's weights as a PyTorch state dict (safetensors or pth).")
final class ExportCommand implements Callable<Integer> {
    private static final String RUNNING_VAR = ".running_var";
    private static final String COUNTER = ".num_batches_tracked";

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by vista train (OUT/checkpoint.vckp).")
    Path checkpoint;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "The file format: safetensors or pth (torch.save's zip archive).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("safetensors") && !format.equals("pth")) {
            return UsageError.report(spec, List.of("--format " + format + " is not one Vista writes; use"
                    + " --format safetensors or --format pth."));
        }
        try {
            Checkpoint saved = Checkpoint.read(checkpoint);
            Map<String, Tensor> state = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            saved.model().forEach((name, tensor) -> {
                state.put(name, tensor);
                if (name.endsWith(RUNNING_VAR)) {
                    String counter = name.substring(0, name.length() - RUNNING_VAR.length()) + COUNTER;
                    state.put(counter, Tensor.scalar(saved.step()));
                    dtypes.put(counter, "I64");
                }
            });
            if (format.equals("pth")) {
                TorchZipWriter.write(out, state, dtypes.keySet());
            } else {
                Map<String, String> metadata = Map.of("format", "pt",
                        "vista.model", saved.config().getOrDefault("model", "unknown"),
                        "vista.epoch", Long.toString(saved.epoch()), "vista.step", Long.toString(saved.step()));
                Safetensors.write(out, state, dtypes, metadata);
            }
            stdout.println("wrote " + state.size() + " tensors (" + saved.model().size() + " from the checkpoint, "
                    + dtypes.size() + " num_batches_tracked counters) to " + out.toAbsolutePath());
            stdout.flush();
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("vista export: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
