package vista.models.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.WeightFiles;
import vista.nn.weights.WeightFormat;
import vista.tensor.Rng;

/**
 * {@code vista import FILE --model M --out FILE.vckp}: converts weights of the zoo model {@code M} in any
 * format Vista reads into a Vista checkpoint, after checking that they fit the model (every entry, by
 * name and shape). The checkpoint's config records the provenance: {@code model}, {@code in_channels},
 * {@code classes}, {@code imported_from} (the source's absolute path), {@code imported_format} and
 * {@code imported_sha256} (the SHA-256 of the source file's bytes); epoch and step are 0 and it holds no
 * optimiser state. It is read wherever a weight file is ({@code --weights}), not as a run of
 * {@code vista train} (it records no data). Exit status 0, 1 when the weights cannot be read, do not fit
 * or the checkpoint cannot be written, 2 for invalid options.
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

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = !ModelZoo.names().contains(model) ? "unknown model " + model + "; the models are "
                + ModelZoo.names() + "." : classes != null && classes < 1 ? "--classes must be at least 1, got "
                + classes + "." : null;
        if (problem != null) {
            return UsageError.report(spec, List.of(problem));
        }
        try {
            WeightFormat format = WeightFormat.of(source);
            int channels = ModelZoo.defaultImage(model).dim(0);
            int numClasses = classes == null ? ModelZoo.defaultClasses(model) : classes;
            Module net = ModelZoo.create(model, new ModelZoo.Request(channels, numClasses, new Rng(0)));
            WeightFiles.load(net, source);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("model", model);
            config.put("in_channels", Integer.toString(channels));
            config.put("classes", Integer.toString(numClasses));
            config.put("imported_from", source.toAbsolutePath().normalize().toString());
            config.put("imported_format", format.description());
            config.put("imported_sha256", sha256(source));
            new Checkpoint(config, 0, 0, Map.of(), net.stateDict(), Map.of()).write(out);
            stdout.println("wrote " + net.stateDict().size() + " tensors of " + model + " from " + format.description()
                    + " (SHA-256 " + config.get("imported_sha256") + ") to " + out.toAbsolutePath());
            stdout.flush();
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("vista import: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The SHA-256 of the file's bytes, as 64 lowercase hex digits. */
    private static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
