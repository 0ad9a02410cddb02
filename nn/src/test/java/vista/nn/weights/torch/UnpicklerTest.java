package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.nn.weights.torch.TorchFiles.Pickle;

/** The restricted unpickler's values, and each of its refusals, on pickles written opcode by opcode. */
class UnpicklerTest {
    private static Object load(Pickle p) throws WeightFileException {
        return Unpickler.load("test.pkl", ByteBuffer.wrap(p.bytes()), new HashMap<>());
    }

    private static String refusal(Pickle p) {
        return assertThrows(WeightFileException.class, () -> load(p)).getMessage();
    }

    @Test
    void dictsListsTuplesAndScalarsBecomeInertJavaValuesInOrder() throws Exception {
        Object v = load(new Pickle().proto().op('}').op('(').string("b").op(']').op('(').int1(7).op('N').op(0x88)
                .op('e').string("a").int1(1).int1(2).op(0x86).op('u').op('.'));
        Map<?, ?> map = assertInstanceOf(Map.class, v);
        assertEquals(List.of("b", "a"), List.copyOf(map.keySet()));
        assertEquals(Arrays.asList(7L, null, true), map.get("b"));
        assertEquals(new PickleTuple(Arrays.asList(1L, 2L)), map.get("a"));
    }

    @Test
    void aStateDictPickleGivesTensorDescriptionsOverItsStorages() throws Exception {
        Map<?, ?> map = assertInstanceOf(Map.class, Unpickler.load("test.pkl",
                ByteBuffer.wrap(TorchFiles.statePickle(false)), new HashMap<>()));
        TensorRef w = assertInstanceOf(TensorRef.class, map.get("w"));
        assertEquals(new StorageRef("0", StorageType.FLOAT, "cpu", 6), w.storage());
        assertEquals("[2, 3] [1, 2] 0", Arrays.toString(w.size()) + " " + Arrays.toString(w.stride()) + " " + w.offset());
    }

    @Test
    void anyGlobalOutsideTheAllowlistIsRefusedByNameBeforeItIsCalled() {
        assertEquals("test.pkl: pickle byte 2: refused the global torch.load: a PyTorch weight file only names"
                + " tensors, storages and OrderedDict, and Vista never runs what a file names (is this file from a"
                + " trusted source?)", refusal(new Pickle().proto().global("torch", "load").op(')').op('R').op('.')));
    }

    @Test
    void aStorageClassCannotBeCalled() {
        assertEquals("test.pkl: pickle byte 23: REDUCE on 'torch.FloatStorage', which is not a function Vista"
                + " interprets", refusal(new Pickle().proto().global("torch", "FloatStorage").op(')').op('R').op('.')));
    }

    @Test
    void appendOnATupleAndSetItemOnAListAreRefused() {
        assertEquals("test.pkl: pickle byte 5: APPEND on a tuple of 0, not on a list",
                refusal(new Pickle().proto().op(')').int1(1).op('a').op('.')));
        assertEquals("test.pkl: pickle byte 7: SETITEM on a list, not on a dict",
                refusal(new Pickle().proto().op(']').int1(1).int1(2).op('s').op('.')));
    }

    @Test
    void aStringLongerThanTheRemainingBytesIsRefusedBeforeItIsRead() {
        assertEquals("test.pkl: pickle byte 7: truncated: 4294967295 bytes needed, 1 left",
                refusal(new Pickle().proto().raw('X', 0xff, 0xff, 0xff, 0xff).op('.')));
    }

    @Test
    void anOpcodeOutsideTheWhitelistIsRefused() {
        assertEquals("test.pkl: pickle byte 2: opcode 0x81 is not one a PyTorch weight file uses",
                refusal(new Pickle().proto().op(0x81).op('.')));
    }

    @Test
    void aMemoReadBeforeItIsWrittenIsRefused() {
        assertEquals("test.pkl: pickle byte 2: memo entry 9 is read before it is written",
                refusal(new Pickle().proto().raw('h', 9).op('.')));
    }

    @Test
    void theStackIsBounded() {
        Pickle p = new Pickle().proto();
        for (int i = 0; i <= Unpickler.MAX_STACK; i++) {
            p.op('N');
        }
        assertEquals("test.pkl: pickle byte 65538: more than 65536 values on the pickle's stack",
                refusal(p.op('.')));
    }

    @Test
    void buildThatWouldSetStateOnATensorIsRefused() {
        Pickle p = new Pickle().proto().global("torch._utils", "_rebuild_tensor_v2").op('(')
                .storage("FloatStorage", "0", 1, false).int1(0).op(')').op(')').op(0x89).op('N').op('t').op('R')
                .op('}').op('(').string("x").int1(1).op('u').op('b').op('.');
        assertEquals("test.pkl: pickle byte 106: BUILD (setting object state) on a tensor is not interpreted",
                refusal(p));
    }
}
