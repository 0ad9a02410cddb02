package vista.nn;

import java.util.List;
import vista.autograd.Variable;

/**
 * Applies its children in order: {@code y = m_n(... m_2(m_1(x)))}. Children are named "0", "1", ...
 *
 * <p>A {@link BatchNorm2d} directly followed by a {@link ReLU} runs as one step,
 * {@link BatchNorm2d#forwardRelu(Variable, ReLU)}: the same bits forward and backward as the two children
 * one after the other, with one activation written and kept instead of two.
 */
public final class Sequential extends Module {

    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            registerModule(String.valueOf(i), modules[i]);
        }
    }

    @Override
    public Variable forward(Variable input) {
        List<Module> modules = List.copyOf(children().values());
        Variable x = input;
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) instanceof BatchNorm2d norm && i + 1 < modules.size()
                    && modules.get(i + 1) instanceof ReLU relu) {
                x = norm.forwardRelu(x, relu);
                i++;
            } else {
                x = modules.get(i).forward(x);
            }
        }
        return x;
    }
}
