package vista.nn;

import vista.autograd.Variable;

/** Applies its children in order: {@code y = m_n(... m_2(m_1(x)))}. Children are named "0", "1", ... */
public final class Sequential extends Module {

    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            registerModule(String.valueOf(i), modules[i]);
        }
    }

    @Override
    public Variable forward(Variable input) {
        Variable x = input;
        for (Module m : children().values()) {
            x = m.forward(x);
        }
        return x;
    }
}
