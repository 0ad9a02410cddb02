package vista.models.app.cluster;

import java.util.List;

/** The collective of one worker (W = 1): every operation returns its input (copies of the arrays). */
public final class LocalCollective implements Collective {

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int worldSize() {
        return 1;
    }

    @Override
    public float[][] allReduce(float[][] blockSum) {
        float[][] copy = new float[blockSum.length][];
        for (int i = 0; i < blockSum.length; i++) {
            copy[i] = blockSum[i].clone();
        }
        return copy;
    }

    @Override
    public List<byte[]> allGather(byte[] mine) {
        return List.of(mine.clone());
    }

    @Override
    public byte[] broadcast(byte[] value) {
        return value.clone();
    }

    @Override
    public void barrier() {
    }

    @Override
    public long communicationNanos() {
        return 0;
    }

    @Override
    public void close() {
    }
}
