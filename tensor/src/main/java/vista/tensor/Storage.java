package vista.tensor;

/**
 * The flat array behind one or more tensors (views share it).
 *
 * <p>Reference kernels read and write through {@link #get} and {@link #set} in double precision, so one
 * scalar kernel serves both element types; fast kernels take the backing {@code float[]} directly.
 */
public sealed interface Storage permits Storage.Floats, Storage.Doubles {

    DType dtype();

    int length();

    double get(int index);

    /** Stores {@code value}, rounded to the nearest float for float32 storage. */
    void set(int index, double value);

    /**
     * New zero-filled storage; float32 arrays come from the thread's {@link BufferPool} when one is in use.
     */
    static Storage allocate(DType dtype, int length) {
        return dtype == DType.FLOAT32 ? new Floats(BufferPool.newFloats(length)) : new Doubles(new double[length]);
    }

    /**
     * New storage whose values are unspecified, for a caller that writes every element before anything
     * reads one; float32 arrays come from the thread's {@link BufferPool} as it had them, without zeroing.
     */
    static Storage allocateUnfilled(DType dtype, int length) {
        return dtype == DType.FLOAT32 ? new Floats(BufferPool.newUnfilledFloats(length))
                : new Doubles(new double[length]);
    }

    /** float32 storage. */
    record Floats(float[] array) implements Storage {
        public DType dtype() {
            return DType.FLOAT32;
        }

        public int length() {
            return array.length;
        }

        public double get(int index) {
            return array[index];
        }

        public void set(int index, double value) {
            array[index] = (float) value;
        }
    }

    /** float64 storage. */
    record Doubles(double[] array) implements Storage {
        public DType dtype() {
            return DType.FLOAT64;
        }

        public int length() {
            return array.length;
        }

        public double get(int index) {
            return array[index];
        }

        public void set(int index, double value) {
            array[index] = value;
        }
    }
}
