package vista.models.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's own sources, read from the project folder (the nearest folder above the test
 * classes' compiled location that holds {@code tensor/src/main/java}), for tests that check properties of
 * the code itself.
 */
public final class ProjectSources {
    /** The modules whose main code training runs, in dependency order. */
    public static final List<String> MODULES = List.of("tensor", "autograd", "nn", "data", "models");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /**
     * One source file.
     *
     * @param module  its module folder ({@code tensor}, ...)
     * @param path    its path relative to the project folder
     * @param pkg     its package
     * @param name    its simple class name (the file name without {@code .java})
     * @param source  its text
     */
    public record SourceFile(String module, Path path, String pkg, String name, String source) {
        /** The text with comments and literal contents blanked out ({@link JavaCode}). */
        public String code() {
            return JavaCode.withoutCommentsAndLiterals(source);
        }
    }

    private ProjectSources() {
    }

    /** Every main source file of {@code modules}, sorted by path. */
    public static List<SourceFile> mainSources(List<String> modules) {
        return sources(modules, "main");
    }

    /** Every test source file of {@code modules}, sorted by path. */
    public static List<SourceFile> testSources(List<String> modules) {
        return sources(modules, "test");
    }

    private static List<SourceFile> sources(List<String> modules, String kind) {
        Path project = projectFolder();
        List<SourceFile> files = new ArrayList<>();
        for (String module : modules) {
            Path root = project.resolve(module).resolve("src").resolve(kind).resolve("java");
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("no " + kind + " sources at " + root);
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String source = Files.readString(file);
                    Matcher m = PACKAGE.matcher(source);
                    if (!m.find()) {
                        throw new IllegalStateException(file + " has no package declaration");
                    }
                    String fileName = file.getFileName().toString();
                    files.add(new SourceFile(module, project.relativize(file), m.group(1),
                            fileName.substring(0, fileName.length() - ".java".length()), source));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** The folder holding the modules. */
    public static Path projectFolder() {
        try {
            Path here = Path.of(ProjectSources.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("tensor/src/main/java"))) {
                    return p;
                }
            }
            throw new IllegalStateException("no folder with tensor/src/main/java above " + here);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the test classes' location is not a path", e);
        }
    }
}
