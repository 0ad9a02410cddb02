package vista.bench.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CpuLoadTest {
    @Test
    void busyExcludesIdleIowaitAndStealAndCountsGuestOnce() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] times = CpuLoad.cpuTimes("cpu  100 2 30 500 7 1 4 9 50 0");
        assertArrayEquals(new long[] {137, 137 + 500 + 7 + 9}, times);
    }

    @Test
    void ownTicksAreUtimeStimeCutimeCstimeEvenWithSpacesInTheName() {
        String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 11 22 33 44 20 0 30 0 5 0\n";
        assertEquals(11 + 22 + 33 + 44, CpuLoad.ownTicks(stat));
    }

    @Test
    void otherProcessesLoadIsBusyTimeNotOurs() {
        CaseRuns runs = new CaseRuns(BenchCase.CONV3X3, 2);
        // 200 ticks on each of 2 CPUs pass; 230 are busy, 200 of them ours: 30 others' = 0.15 cores.
        runs.addLoad(new CpuLoad.Sample(1000, 5000, 700), new CpuLoad.Sample(1230, 5400, 900));
        assertEquals(0.15, runs.load(2), 1e-12);
        // A second run where others used nothing: the mean over both runs halves.
        runs.addLoad(new CpuLoad.Sample(2000, 6000, 900), new CpuLoad.Sample(2400, 6400, 1300));
        assertEquals(0.075, runs.load(2), 1e-12);
        assertEquals(0, CpuLoad.otherTicks(new CpuLoad.Sample(0, 0, 0), new CpuLoad.Sample(10, 100, 12)),
                "our ticks counted by a later tick are not negative load");
        runs.addLoad(null, new CpuLoad.Sample(0, 0, 0));
        assertNull(runs.load(2), "one unreadable sample makes the load unknown");
    }
}
