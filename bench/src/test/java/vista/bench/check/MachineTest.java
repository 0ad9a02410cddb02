package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineTest {
    private static final String CPUINFO = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R45 96-Core Processor
            flags\t\t: fpu avx512f
            
            processor\t: 1
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R45 96-Core Processor
            flags\t\t: fpu avx512f
            """;

    @Test
    void readsTheCpuModelAndCountsProcessors() {
        Machine m = Machine.fromCpuinfo(CPUINFO, 512, "25.0.3", null);
        assertEquals(new Machine("AMD EPYC 9R45 96-Core Processor", 2, 512, "25.0.3", null), m);
    }

    @Test
    void fallsBackToHardwareWithoutAModelName() {
        Machine m = Machine.fromCpuinfo("processor : 0\nBogoMIPS : 50.00\nHardware : BCM2835\n", 128, "21.0.5", null);
        assertEquals("BCM2835", m.cpu());
        assertEquals(1, m.cores());
        assertEquals("unknown", Machine.fromCpuinfo("", 256, "21", null).cpu());
        assertEquals(1, Machine.fromCpuinfo("", 256, "21", null).cores());
    }

    @Test
    void theKeyIsCpuCoresJdkAndTorch() {
        Machine m = Machine.fromCpuinfo(CPUINFO, 512, "25.0.3", "2.13.0+cpu");
        assertTrue(m.sameAs(new Machine(m.cpu(), 2, 256, "25.0.3", "2.13.0+cpu")), "vector bits follow the cpu");
        assertFalse(m.sameAs(new Machine(m.cpu(), 4, 512, "25.0.3", "2.13.0+cpu")));
        assertFalse(m.sameAs(new Machine("AMD EPYC 9654", 2, 512, "25.0.3", "2.13.0+cpu")));
        assertFalse(m.sameAs(new Machine(m.cpu(), 2, 512, "25.0.1", "2.13.0+cpu")));
        assertFalse(m.sameAs(m.withTorch("2.12.1+cpu")));
        assertFalse(m.sameAs(null));
    }
}
