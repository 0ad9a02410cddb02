package vista.tensor.kernels;

/**
 * Elementwise functions of two arguments, each with its defining formula in double precision (the
 * reference). Comparisons return 1 for true and 0 for false.
 */
public enum BinaryOp {
    ADD {
        public double apply(double a, double b) {
            return a + b;
        }
    },
    SUB {
        public double apply(double a, double b) {
            return a - b;
        }
    },
    MUL {
        public double apply(double a, double b) {
            return a * b;
        }
    },
    DIV {
        public double apply(double a, double b) {
            return a / b;
        }
    },
    /** a^b */
    POW {
        public double apply(double a, double b) {
            return StrictMath.pow(a, b);
        }
    },
    /** the larger; NaN if either is NaN */
    MAXIMUM {
        public double apply(double a, double b) {
            return Math.max(a, b);
        }
    },
    /** the smaller; NaN if either is NaN */
    MINIMUM {
        public double apply(double a, double b) {
            return Math.min(a, b);
        }
    },
    EQ {
        public double apply(double a, double b) {
            return a == b ? 1 : 0;
        }
    },
    NE {
        public double apply(double a, double b) {
            return a != b ? 1 : 0;
        }
    },
    LT {
        public double apply(double a, double b) {
            return a < b ? 1 : 0;
        }
    },
    LE {
        public double apply(double a, double b) {
            return a <= b ? 1 : 0;
        }
    },
    GT {
        public double apply(double a, double b) {
            return a > b ? 1 : 0;
        }
    },
    GE {
        public double apply(double a, double b) {
            return a >= b ? 1 : 0;
        }
    };

    /** The function's value at {@code (a, b)}. */
    public abstract double apply(double a, double b);
}
