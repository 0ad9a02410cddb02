package vista.models.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vista.models.sources.ProjectSources.SourceFile;

/**
 * The README's layout section is complete and true: it names every main source file, and every file it
 * names exists. A file is named as {@code Tensor.java}, as a family {@code Gemm{Kernels,Reference,Fast}.java}
 * or as a pattern {@code Aggregation*.java}.
 */
class ReadmeLayoutTest {
    private static final List<String> MODULES = List.of("tensor", "autograd", "nn", "data", "models", "bench");
    private static final Pattern FILE = Pattern.compile("([\\w{},*-]+)\\.java");
    private static final Pattern FAMILY = Pattern.compile("(\\w*)\\{([\\w,]+)}(\\w*)");

    @Test
    void namesEveryMainFile() throws IOException {
        List<String> names = namedFiles();
        Set<String> missing = new TreeSet<>();
        for (SourceFile file : ProjectSources.mainSources(MODULES)) {
            if (!file.name().equals("package-info") && names.stream().noneMatch(n -> matches(n, file.name()))) {
                missing.add(file.path().toString());
            }
        }
        assertEquals(Set.of(), missing, "main files the README's layout section does not name");
    }

    @Test
    void namesOnlyFilesThatExist() throws IOException {
        Set<String> classes = new TreeSet<>();
        Stream.concat(ProjectSources.mainSources(MODULES).stream(),
                        ProjectSources.testSources(MODULES.subList(0, MODULES.indexOf("bench"))).stream())
                .forEach(f -> classes.add(f.name()));
        List<String> names = namedFiles();
        assertTrue(names.size() > 100, "the layout section was not found: " + names);
        Set<String> stale = new TreeSet<>();
        for (String name : names) {
            if (classes.stream().noneMatch(c -> matches(name, c))) {
                stale.add(name + ".java");
            }
        }
        assertEquals(Set.of(), stale, "files the README's layout section names but the project lacks");
    }

    /** The file names of the layout section (without {@code .java}), with families expanded. */
    private static List<String> namedFiles() throws IOException {
        String readme = Files.readString(ProjectSources.projectFolder().resolve("README.md"));
        int start = readme.indexOf("\n## Layout: where each idea lives");
        assertTrue(start >= 0, "README.md has no section '## Layout: where each idea lives'");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> names = new ArrayList<>();
        Matcher m = FILE.matcher(section);
        while (m.find()) {
            Matcher family = FAMILY.matcher(m.group(1));
            if (family.matches()) {
                for (String member : family.group(2).split(",")) {
                    names.add(family.group(1) + member + family.group(3));
                }
            } else {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Whether the README's name (which may hold {@code *}) names the class {@code simpleName}. */
    private static boolean matches(String name, String simpleName) {
        return simpleName.matches(Pattern.quote(name).replace("*", "\\E\\w*\\Q"));
    }
}
