package vista.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vista.autograd.Variable;
import vista.data.Dataset;
import vista.data.FashionMnist;
import vista.models.sources.ProjectSources;
import vista.models.zoo.resnet.Bottleneck;
import vista.nn.Module;
import vista.tensor.Tensor;

/**
 * The learning path (docs/learn/) cannot drift from the code: every file a chapter names exists, and every
 * lesson compiles against the current API, runs in quick mode and prints the line that states its point.
 * The lessons are compiled in-process with the system Java compiler and run in this JVM.
 */
class LearningPathTest {
    private static final Path PROJECT = ProjectSources.projectFolder();
    private static final Path LEARN = PROJECT.resolve("docs").resolve("learn");
    /** A backticked file name or path, e.g. {@code `tensor/src/main/java/vista/tensor/Shape.java`} or {@code `Shape.java`}. */
    private static final Pattern BACKTICKED = Pattern.compile("`([\\w./-]+\\.(?:java|md|py|sh))`");
    /** The target of a Markdown link, e.g. {@code [chapter 2](02-autograd.md)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final int LESSONS = 8;
    /** What each lesson's last line must say: the claim its numbers prove. */
    private static final Map<Integer, String> KEY_LINES = Map.of(
            1, "lesson 1 ok: views share storage",
            2, "lesson 2 ok: backward() matches finite differences",
            3, "lesson 3 ok: fast GEMM matches the reference bit for bit",
            4, "lesson 4 ok: the same bits on 1, 2 and 4 threads",
            5, "lesson 5 ok: im2col + GEMM = convolution",
            6, "lesson 6 ok: fused kernel = reference",
            7, "lesson 7 ok: reflection reads -1 -> 1",
            8, "lesson 8 ok: same seed, same bits on any thread count");

    @TempDir
    static Path compiled;
    private static String compilerErrors;

    @BeforeAll
    static void compileLessons() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<Path> sources = new ArrayList<>();
            for (int n = 1; n <= LESSONS; n++) {
                sources.add(lesson(n));
            }
            List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-classpath",
                    vistaClassPath(), "-d", compiled.toString());
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            compilerErrors = ok ? null : diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                    .collect(Collectors.joining("\n"));
        }
    }

    @Test
    void everyChapterAndLessonExists() {
        List<String> chapters = List.of("01-tensors.md", "02-autograd.md", "03-kernels.md",
                "04-parallel-determinism.md", "05-convolution.md", "06-sasa.md", "07-san.md", "08-reproducibility.md");
        for (String chapter : chapters) {
            assertTrue(Files.isRegularFile(LEARN.resolve(chapter)), "docs/learn/" + chapter + " is missing");
        }
        for (int n = 1; n <= LESSONS; n++) {
            assertTrue(Files.isRegularFile(lesson(n)), "docs/learn/lessons/Lesson" + n + ".java is missing");
        }
    }

    @Test
    void everyFileAChapterNamesExists() throws IOException {
        Set<String> fileNames = projectFileNames();
        Set<String> missing = new TreeSet<>();
        int checked = 0;
        List<Path> pages;
        try (Stream<Path> walk = Files.list(LEARN)) {
            pages = walk.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher named = BACKTICKED.matcher(text);
            while (named.find()) {
                String path = named.group(1);
                boolean exists = path.contains("/") ? Files.exists(PROJECT.resolve(path)) : fileNames.contains(path);
                checked++;
                if (!exists) {
                    missing.add(page.getFileName() + " names `" + path + "`");
                }
            }
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1).replaceFirst("#.*", "");
                if (target.isEmpty() || target.matches("[a-z]+:.*")) {
                    continue;
                }
                checked++;
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    missing.add(page.getFileName() + " links to " + target);
                }
            }
        }
        assertTrue(checked > 100, "expected the chapters to name over 100 files, found " + checked);
        assertEquals(Set.of(), missing, "files the learning path names but the repository lacks (renamed or moved?)");
    }

    @ParameterizedTest(name = "lesson {0} --quick")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void lessonRunsQuicklyAndPrintsItsPoint(int n) throws Exception {
        assertEquals(null, compilerErrors, "the lessons do not compile against the current API");
        if (n == 5) {
            Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEFAULT_FOLDER)),
                    "lesson 5 trains on Fashion-MNIST, which is not in " + FashionMnist.DEFAULT_FOLDER);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {compiled.toUri().toURL()},
                LearningPathTest.class.getClassLoader());
                PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Class.forName("Lesson" + n, true, loader).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {"--quick"});
        } catch (InvocationTargetException e) {
            fail("lesson " + n + " failed; it printed:\n" + captured.toString(StandardCharsets.UTF_8), e.getCause());
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains(KEY_LINES.get(n)), "lesson " + n + " did not print '" + KEY_LINES.get(n)
                + "'; it printed:\n" + output);
    }

    private static Path lesson(int n) {
        return LEARN.resolve("lessons").resolve("Lesson" + n + ".java");
    }

    /** The compiled classes of Vista's modules, wherever this test run found them (folders or jars). */
    private static String vistaClassPath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(Tensor.class, Variable.class, Module.class, Dataset.class, Bottleneck.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(type + " was not loaded from a file", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The names of every file in the project outside build output, for chapters that name a file alone. */
    private static Set<String> projectFileNames() throws IOException {
        try (Stream<Path> walk = Files.walk(PROJECT)) {
            return walk.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git")
                            && !p.toString().contains("/runs/") && Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
