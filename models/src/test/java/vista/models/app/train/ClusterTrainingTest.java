package vista.models.app.train;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.models.app.cluster.LoopbackCluster;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.tensor.Rng;

/** {@link ClusterTraining}: workers whose data differ all stop before the first step, naming the file. */
class ClusterTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerWithOtherDataStopsEveryWorkerNamingTheFile() throws Exception {
        Path same = SmallDataSets.stripes(tmp.resolve("a"), 32, 8, 16);
        Path other = SmallDataSets.stripes(tmp.resolve("b"), 40, 8, 16);
        List<Object> results = LoopbackCluster.run(Collections.nCopies(2, null), world -> {
            TrainingData data = TrainingData.load((world.rank() == 0 ? same : other).toString(), 0, 0);
            Module model = ModelZoo.create("resnet26-mini", new ModelZoo.Request(1, 10, new Rng(1).split("init")));
            ClusterTraining.requireSameStart(world, data, model);
            return "started";
        });
        for (Object result : results) {
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, result);
            assertTrue(e.getMessage().startsWith("worker 1 does not start from what worker 0 has: its data file"
                    + " train-images-idx3-ubyte ("), e.getMessage());
        }
    }
}
