package vista.tensor.kernels;

/**
 * Elementwise functions of one argument, each with its defining formula in double precision (the
 * reference; {@code StrictMath} so the reference gives the same bits everywhere).
 */
public enum UnaryOp {
    /** -x */
    NEG {
        public double apply(double x) {
            return -x;
        }
    },
    /** e^x */
    EXP {
        public double apply(double x) {
            return StrictMath.exp(x);
        }
    },
    /** natural logarithm */
    LOG {
        public double apply(double x) {
            return StrictMath.log(x);
        }
    },
    /** square root */
    SQRT {
        public double apply(double x) {
            return StrictMath.sqrt(x);
        }
    },
    /** |x| */
    ABS {
        public double apply(double x) {
            return Math.abs(x);
        }
    },
    /** max(x, 0); NaN stays NaN (as in PyTorch), so a diverging run is noticed. */
    RELU {
        public double apply(double x) {
            return x <= 0 ? 0.0 : x;
        }
    },
    /** 1 / (1 + e^-x) */
    SIGMOID {
        public double apply(double x) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
    },
    /** (e^x - e^-x) / (e^x + e^-x) */
    TANH {
        public double apply(double x) {
            return StrictMath.tanh(x);
        }
    };

    /** The function's value at {@code x}. */
    public abstract double apply(double x);
}
