package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Tensor;

/** Each storage type converts exactly, and views are checked against their storage before any read. */
class TensorMaterialiserTest {
    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Tensor read(StorageType type, ByteBuffer data, long offset, long[] size, long[] stride)
            throws WeightFileException {
        StorageRef storage = new StorageRef("0", type, "cpu", data.capacity() / type.bytes());
        return TensorMaterialiser.materialise("f.pth", "t", new TensorRef(storage, offset, size, stride), data);
    }

    @Test
    void bfloat16AndFloat16WidenExactlyToFloat32() throws Exception {
        ByteBuffer bf = little(4).putShort((short) 0x3FC0).putShort((short) 0xC2F7);
        assertArrayEquals(new float[] {1.5f, -123.5f}, read(StorageType.BFLOAT16, bf, 0, new long[] {2},
                new long[] {1}).toFloatArray());
        ByteBuffer half = little(4).putShort((short) 0x3C00).putShort((short) 0x0001);
        assertArrayEquals(new float[] {1f, 0x1p-24f}, read(StorageType.HALF, half, 0, new long[] {2},
                new long[] {1}).toFloatArray());
    }

    @Test
    void float64StaysFloat64AndUint8BecomesFloat32() throws Exception {
        Tensor d = read(StorageType.DOUBLE, little(8).putDouble(0.1), 0, new long[] {1}, new long[] {1});
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0.1, d.item());
        Tensor b = read(StorageType.BYTE, little(2).put((byte) 255).put((byte) 7), 0, new long[] {2}, new long[] {1});
        assertEquals(DType.FLOAT32, b.dtype());
        assertArrayEquals(new float[] {255, 7}, b.toFloatArray());
    }

    @Test
    void anInt64BeyondTwoToThe53IsRefusedAsInexact() {
        ByteBuffer data = little(8).putLong((1L << 53) + 1);
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> read(StorageType.LONG, data, 0, new long[] {}, new long[] {}));
        assertEquals("f.pth: 't' is a tensor [] (stride [], offset 0) of LongStorage '0' that does not fit: its value"
                + " 9007199254740993 is beyond 2^53, not exact in float64", e.getMessage());
    }

    @Test
    void aViewReachingPastItsStorageIsRefusedBeforeAnyRead() {
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> read(StorageType.FLOAT, little(16), 1, new long[] {2, 2}, new long[] {1, 2}));
        assertEquals("f.pth: 't' is a tensor [2, 2] (stride [1, 2], offset 1) of FloatStorage '0' that does not fit:"
                + " it reaches element 4 but its storage holds 4", e.getMessage());
    }

    @Test
    void stridesWhoseReachOverflowsAreRefused() {
        WeightFileException e = assertThrows(WeightFileException.class, () -> read(StorageType.FLOAT, little(16), 0,
                new long[] {2, 2}, new long[] {Long.MAX_VALUE, 1}));
        assertEquals("f.pth: 't' is a tensor [2, 2] (stride [9223372036854775807, 1], offset 0) of FloatStorage '0'"
                + " that does not fit: its offset, sizes and strides overflow", e.getMessage());
    }

    @Test
    void aTransposedViewIsCopiedInRowMajorOrder() throws Exception {
        ByteBuffer data = little(16).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        assertArrayEquals(new float[] {1, 3, 2, 4}, read(StorageType.FLOAT, data, 0, new long[] {2, 2},
                new long[] {1, 2}).toFloatArray());
    }
}
