package vista.models.app.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import vista.autograd.Variable;
import vista.data.Batch;
import vista.models.app.cluster.Collective;
import vista.models.app.cluster.TreeSum;
import vista.nn.BatchNorm2d;
import vista.nn.Module;
import vista.nn.loss.CrossEntropyLoss;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * The forward and backward half of a training step with the batch split into S shards ({@code --shards}),
 * shared by W workers ({@code --cluster}); the caller then takes the optimiser step, which every worker
 * takes with the same gradient.
 *
 * <p><b>Shards.</b> The global batch of B images is cut into S contiguous shards of B / S images; shard s
 * holds images [s B / S, (s + 1) B / S). Worker r of W computes shards [r S / W, (r + 1) S / W). Each
 * shard runs forward and backward on its own, so BatchNorm normalises it with its own batch statistics,
 * as PyTorch's DistributedDataParallel without SyncBatchNorm (the official SAN recipe) does, and its loss
 * L_s is its own mean over its images.
 *
 * <p><b>The gradient</b> of the step is the mean of the shard gradients, g = (Σ_s ∇L_s) / S, the sum taken
 * in the fixed tree of {@link TreeSum} over shard ids (each worker sums its block, {@link
 * Collective#allReduce} combines the blocks in the same tree), then divided by S in float32. Every
 * parameter must receive a gradient in every shard.
 *
 * <p><b>BatchNorm running statistics.</b> Every shard starts from the same running buffers (those before
 * the step), updates them with its own batch statistics, and the new buffers are the mean of the S
 * updated buffers, summed in the same tree and divided by S. Since the update is linear, that is
 * {@code running = (1 - m) running + m mean_s(μ_s)} (the same for the variance): the shards' statistics
 * weigh equally and every worker holds identical buffers. DDP without SyncBatchNorm instead keeps rank
 * 0's buffers (it broadcasts them before each forward pass), so its running statistics follow the first
 * replica's shards only; the checkpoints differ from DDP's in these buffers only.
 *
 * <p><b>Loss and accuracy.</b> The step's loss is the tree mean of the S shard losses (in double); the
 * logits of all B images are gathered in shard order, for the epoch's accuracy.
 */
final class ShardedStep {
    private final Module model;
    private final CrossEntropyLoss criterion;
    private final int shards;
    private final Collective world;
    private final List<Variable> parameters;
    private final List<String> parameterNames;
    private final List<Tensor> buffers = new ArrayList<>();

    /** The step of {@code model} under {@code criterion}, with {@code shards} shards over {@code world}. */
    ShardedStep(Module model, CrossEntropyLoss criterion, int shards, Collective world) {
        if (shards % world.worldSize() != 0 || !TreeSum.isPowerOfTwo(world.worldSize())) {
            throw new IllegalArgumentException("--shards " + shards + " cannot be shared by " + world.worldSize()
                    + " workers: the number of workers must be a power of two that divides --shards");
        }
        this.model = model;
        this.criterion = criterion;
        this.shards = shards;
        this.world = world;
        Map<String, Variable> named = model.namedParameters();
        this.parameters = List.copyOf(named.values());
        this.parameterNames = List.copyOf(named.keySet());
        collectRunningStatistics(model);
    }

    /** The running mean and variance of every BatchNorm2d, in module order. */
    private void collectRunningStatistics(Module module) {
        if (module instanceof BatchNorm2d norm) {
            buffers.add(requireFloat(norm.runningMean()));
            buffers.add(requireFloat(norm.runningVar()));
        }
        module.children().values().forEach(this::collectRunningStatistics);
    }

    private static Tensor requireFloat(Tensor buffer) {
        if (buffer.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("sharded training keeps BatchNorm statistics in float32, got "
                    + buffer.dtype());
        }
        return buffer;
    }

    /**
     * What the forward and backward passes of one step found.
     *
     * @param loss   the tree mean of the shard losses
     * @param logits the logits of the whole batch, in batch order
     */
    record Outcome(double loss, Tensor logits) {
    }

    /**
     * Runs this worker's shards of {@code batch}, combines gradients and running statistics with the other
     * workers, and leaves the mean gradient in every parameter's {@code grad()} and the mean running
     * statistics in the BatchNorm buffers (see the class comment).
     */
    Outcome run(Batch batch) {
        int size = batch.size();
        if (size % shards != 0) {
            throw new IllegalArgumentException("a batch of " + size + " images cannot be split into " + shards
                    + " shards of equal size");
        }
        int shardSize = size / shards;
        int perWorker = shards / world.worldSize();
        int first = world.rank() * perWorker;
        float[][] before = new float[buffers.size()][];
        for (int i = 0; i < before.length; i++) {
            before[i] = buffers.get(i).toFloatArray();
        }
        double[] losses = new double[perWorker];
        Tensor[] logits = new Tensor[perWorker];
        float[][] blockSum = TreeSum.of(perWorker, local -> {
            int shard = first + local;
            for (int i = 0; i < before.length; i++) {
                setFloats(buffers.get(i), before[i]);
            }
            parameters.forEach(Variable::zeroGrad);
            int from = shard * shardSize;
            Tensor images = batch.images().slice(0, from, from + shardSize).copy();
            Variable output = model.forward(new Variable(images));
            Variable objective = criterion.forward(output, Arrays.copyOfRange(batch.labels(), from, from + shardSize));
            losses[local] = objective.item();
            logits[local] = output.data().copy(); // inside a buffer pool, backward gives the output's array back
            objective.backward();
            return shardVector(shard);
        });
        float[][] total = world.allReduce(blockSum);
        for (int i = 0; i < parameters.size(); i++) {
            setFloats(parameters.get(i).grad(), divide(total[i], shards));
        }
        for (int i = 0; i < buffers.size(); i++) {
            setFloats(buffers.get(i), divide(total[parameters.size() + i], shards));
        }
        return gather(losses, logits, shardSize);
    }

    /** The gradients of every parameter, then the running statistics, after shard {@code shard}'s backward pass. */
    private float[][] shardVector(int shard) {
        float[][] vector = new float[parameters.size() + buffers.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            Tensor grad = parameters.get(i).grad();
            if (grad == null) {
                throw new IllegalStateException("the parameter " + parameterNames.get(i) + " received no gradient in"
                        + " shard " + shard + "; sharded training needs every parameter to take part in every step,"
                        + " so train this model with --shards 1");
            }
            vector[i] = grad.toFloatArray();
        }
        for (int i = 0; i < buffers.size(); i++) {
            vector[parameters.size() + i] = buffers.get(i).toFloatArray();
        }
        return vector;
    }

    /** Every worker's shard losses and logits, in shard order, and their tree mean. */
    private Outcome gather(double[] losses, Tensor[] logits, int shardSize) {
        int classes = logits[0].numel() / shardSize;
        ByteBuffer mine = ByteBuffer.allocate(losses.length * (Double.BYTES + shardSize * classes * Float.BYTES));
        for (int local = 0; local < losses.length; local++) {
            mine.putDouble(losses[local]);
            for (float z : logits[local].toFloatArray()) {
                mine.putFloat(z);
            }
        }
        double[] all = new double[shards];
        float[] allLogits = new float[shards * shardSize * classes];
        int shard = 0;
        for (byte[] part : world.allGather(mine.array())) {
            ByteBuffer in = ByteBuffer.wrap(part);
            for (int local = 0; local < losses.length; local++, shard++) {
                all[shard] = in.getDouble();
                for (int j = 0; j < shardSize * classes; j++) {
                    allLogits[shard * shardSize * classes + j] = in.getFloat();
                }
            }
        }
        return new Outcome(TreeSum.of(all) / shards, Tensor.fromArray(allLogits, shards * shardSize, classes));
    }

    private static float[] divide(float[] sum, int n) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= n;
        }
        return sum;
    }

    private static void setFloats(Tensor target, float[] values) {
        target.copyFrom(Tensor.fromArray(values, target.dims()));
    }
}
