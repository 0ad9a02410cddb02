import java.util.IdentityHashMap;
import java.util.Map;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Lesson 2 (docs/learn/02-autograd.md): reverse-mode autograd in one screen. The scalar expression
 * {@code L = tanh(a b + c) a} is recorded as a graph while it is computed; {@code L.backward()} walks the graph
 * from L back to the leaves, each node multiplying the gradient it receives by its local derivative (the
 * chain rule), and leaves the gradients in {@code a.grad()}, {@code b.grad()}, {@code c.grad()}. The lesson
 * prints the graph, compares the gradients with the hand-derived formulas and with central finite
 * differences, and runs Vista's {@code GradCheck} on a tensor expression.
 *
 * <p>Run: {@code ./vista learn 2}. It has no data, so {@code --quick} changes nothing.
 */
public class Lesson2 {
    public static void main(String[] args) {
        double a0 = 0.5, b0 = -1.5, c0 = 0.25;
        Variable a = leaf(a0);
        Variable b = leaf(b0);
        Variable c = leaf(c0);
        Variable loss = a.mul(b).add(c).tanh().mul(a);
        Map<Variable, String> names = new IdentityHashMap<>(Map.of(a, "a", b, "b", c, "c"));
        System.out.printf("L = tanh(a b + c) a at a = %s, b = %s, c = %s is %.6f; its graph:%n", a0, b0, c0,
                loss.item());
        printGraph(loss, names, "", "");

        loss.backward();
        double t = Math.tanh(a0 * b0 + c0);
        double slope = 1 - t * t;
        double[] byHand = {t + a0 * b0 * slope, a0 * a0 * slope, a0 * slope};
        double[] byBackward = {a.grad().item(), b.grad().item(), c.grad().item()};
        double h = 1e-6;
        double[] numeric = {
            (f(a0 + h, b0, c0) - f(a0 - h, b0, c0)) / (2 * h),
            (f(a0, b0 + h, c0) - f(a0, b0 - h, c0)) / (2 * h),
            (f(a0, b0, c0 + h) - f(a0, b0, c0 - h)) / (2 * h)};
        double worst = 0;
        String[] leaves = {"a", "b", "c"};
        System.out.println("          backward()      by hand         finite difference (h = 1e-6)");
        for (int i = 0; i < 3; i++) {
            System.out.printf("dL/d%s  %15.10f %15.10f %15.10f%n", leaves[i], byBackward[i], byHand[i], numeric[i]);
            check(Math.abs(byBackward[i] - byHand[i]) < 1e-12, "backward() gives the hand-derived dL/d" + leaves[i]);
            worst = Math.max(worst, Math.abs(byBackward[i] - numeric[i]));
        }
        System.out.printf("largest |backward - finite difference| = %.2e%n", worst);
        check(worst < 1e-8, "the finite differences agree with backward()");

        Rng rng = new Rng(2);
        Tensor x = Tensor.randn(rng, 3, 4);
        Tensor w = Tensor.randn(rng, 4, 2);
        GradCheck.Result result = GradCheck.of(v -> v[0].matmul(v[1]).tanh().softmax(1), x, w).run();
        System.out.println("GradCheck of softmax(tanh(x w)) over x (3x4) and w (4x2): " + result.report());
        check(result.passed(), "GradCheck passes");
        System.out.printf("lesson 2 ok: backward() matches finite differences (worst %.1e) and GradCheck passes%n",
                worst);
    }

    /** L computed with plain doubles: what the finite differences perturb. */
    static double f(double a, double b, double c) {
        return Math.tanh(a * b + c) * a;
    }

    static Variable leaf(double value) {
        return new Variable(Tensor.scalar(DType.FLOAT64, value), true);
    }

    /** Prints the graph below {@code v}: each node is the Function that made it, leaves by name. */
    static void printGraph(Variable v, Map<Variable, String> names, String indent, String branch) {
        if (v.isLeaf()) {
            System.out.println(indent + branch + names.getOrDefault(v, "constant") + " (leaf)");
            return;
        }
        System.out.println(indent + branch + v.gradFn().name() + String.format("  = %.4f", v.item()));
        String below = indent + (branch.isEmpty() ? "" : branch.startsWith("├") ? "│  " : "   ");
        var inputs = v.gradFn().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            printGraph(inputs.get(i), names, below, i == inputs.size() - 1 ? "└─ " : "├─ ");
        }
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 2: expected that " + claim);
        }
    }
}
