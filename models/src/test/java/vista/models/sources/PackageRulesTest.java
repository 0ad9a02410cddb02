package vista.models.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vista.models.sources.ProjectSources.SourceFile;

/**
 * The rules of the layout, as the README's layout section states them, checked on the main sources of
 * every module ({@link ProjectSources}). A package uses another when its code (comments and literals
 * aside) names one of that package's classes, by import or fully qualified.
 */
class PackageRulesTest {
    private static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b(vista(?:\\.[a-z]\\w*)+)\\.[A-Z]\\w*");
    private static final String KERNELS = "vista.tensor.kernels";

    /**
     * The two fluent faces: {@code Tensor}'s math methods call the kernel fronts, and {@code Variable}'s call
     * the autograd functions, so that {@code a.add(b)} reads like the formula. They are the only cycles.
     */
    private static final Set<String> FLUENT_FACES = Set.of("vista.tensor -> vista.tensor.kernels",
            "vista.autograd -> vista.autograd.functions");

    private static final List<SourceFile> SOURCES = ProjectSources.mainSources(
            List.of("tensor", "autograd", "nn", "data", "models", "bench"));

    @Test
    void outsideTheTensorModuleOnlyAutogradFunctionsAndBenchmarksCallKernels() {
        List<String> offenders = new ArrayList<>();
        for (SourceFile file : SOURCES) {
            boolean allowed = file.module().equals("tensor") || file.module().equals("bench")
                    || file.pkg().equals("vista.autograd.functions");
            if (!allowed && uses(file).contains(KERNELS)) {
                offenders.add(file.path().toString());
            }
        }
        assertEquals(List.of(), offenders, "layers and models must reach kernels through autograd functions");
    }

    @Test
    void geometryAndRuntimeDescribeWithoutComputing() {
        Map<String, Set<String>> graph = packageGraph();
        assertEquals(Set.of("vista.tensor"), graph.getOrDefault("vista.tensor.geometry", Set.of()));
        assertEquals(Set.of(), graph.getOrDefault("vista.tensor.runtime", Set.of()));
    }

    @Test
    void theNetworksDoNotKnowTheApplication() {
        List<String> offenders = new ArrayList<>();
        for (SourceFile file : SOURCES) {
            if (file.pkg().startsWith("vista.models.zoo")
                    && uses(file).stream().anyMatch(p -> p.startsWith("vista.models.app"))) {
                offenders.add(file.path().toString());
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void packagesFormNoCycleBesideTheFluentFaces() {
        Map<String, Set<String>> graph = packageGraph();
        graph.forEach((from, targets) -> targets.removeIf(to -> FLUENT_FACES.contains(from + " -> " + to)));
        List<String> cycle = findCycle(graph);
        assertTrue(cycle.isEmpty(), "package cycle: " + String.join(" -> ", cycle));
    }

    @Test
    void noSimpleClassNameIsDefinedTwice() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (SourceFile file : SOURCES) {
            if (!file.name().equals("package-info")) {
                byName.computeIfAbsent(file.name(), k -> new ArrayList<>()).add(file.pkg());
            }
        }
        byName.values().removeIf(packages -> packages.size() == 1);
        assertEquals(Map.of(), byName, "a reader could confuse classes of the same name");
    }

    @Test
    void everyPackageSaysWhatItHolds() {
        Set<String> packages = new TreeSet<>();
        Set<String> described = new TreeSet<>();
        for (SourceFile file : SOURCES) {
            packages.add(file.pkg());
            if (file.name().equals("package-info")) {
                described.add(file.pkg());
            }
        }
        packages.removeAll(described);
        assertEquals(Set.of(), packages, "packages without a package-info.java");
    }

    /** The packages whose classes {@code file}'s code names, other than its own. */
    private static Set<String> uses(SourceFile file) {
        Set<String> used = new TreeSet<>();
        Matcher m = QUALIFIED_CLASS.matcher(file.code());
        while (m.find()) {
            if (!m.group(1).equals(file.pkg())) {
                used.add(m.group(1));
            }
        }
        return used;
    }

    /** For each package, the packages it uses. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (SourceFile file : SOURCES) {
            graph.computeIfAbsent(file.pkg(), k -> new TreeSet<>()).addAll(uses(file));
        }
        return graph;
    }

    /** One cycle of {@code graph} as a closed path of packages, or an empty list if it has none. */
    private static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    /** Depth-first search; state 1 = on the current path, 2 = done. Leaves the cycle in {@code path}. */
    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return false;
        }
        if (s != null) {
            path.subList(0, path.indexOf(node)).clear();
            path.add(node);
            return true;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return false;
    }
}
