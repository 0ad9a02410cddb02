/**
 * Training and evaluation, as {@code vista train} and {@code vista eval} run them.
 *
 * <ul>
 *   <li>{@link vista.models.app.train.TrainConfig}: every option that shapes a run's result, and the learning-rate
 *       schedule and loss it implies;</li>
 *   <li>{@link vista.models.app.train.TrainingData}: the {@code --data} forms (Fashion-MNIST, CIFAR-10, a folder
 *       of IDX files), the limits and the normalisation; {@link vista.models.app.train.DataFacts}: what a
 *       checkpoint records about them;</li>
 *   <li>{@link vista.models.app.train.Trainer}: the loop, the NaN guard and bit-exact resuming;
 *       {@link vista.models.app.train.EpochStats}: an epoch's running sums;
 *       {@link vista.models.app.train.ShardedStep}: a step with the batch in shards ({@code --shards}), over
 *       the workers of a cluster ({@code --cluster}, with {@code vista.models.app.cluster});
 *       {@link vista.models.app.train.ClusterTraining}: the workers' check that they start alike;
 *       {@link vista.models.app.train.ClusterProgress}: what each worker shows;</li>
 *   <li>{@link vista.models.app.train.TrainingObserver}: the events of a run, for everything beside the loop
 *       ({@link vista.models.app.train.TrainingObserver#inOrder} combines several);
 *       {@link vista.models.app.train.TrainingProgress}: what a run shows, on a
 *       {@link vista.models.app.train.Progress} display (a bar or periodic lines);</li>
 *   <li>{@link vista.models.app.train.Evaluation}: loss, top-1, top-5, the
 *       {@link vista.models.app.train.ConfusionMatrix} and, if asked, each image's prediction
 *       ({@link vista.models.app.train.SamplePredictions}); {@link vista.models.app.train.Evaluator}: the same for a
 *       checkpoint; {@link vista.models.app.train.WeightsEvaluator}: for released weights of a zoo model
 *       ({@code --weights});</li>
 *   <li>{@link vista.models.app.train.RunDirectory}: config.json, metrics.jsonl and checkpoint.vckp.</li>
 * </ul>
 * The run's provenance (manifest.json, the weights' fingerprints, replay) observes a run from
 * {@code vista.models.app.provenance}, which depends on this package and not the reverse.
 */
package vista.models.app.train;
