/**
 * Data-parallel training on several processes: the collective operations a training step needs, behind
 * one small interface so that another engine can be added.
 *
 * <ul>
 *   <li>{@link vista.models.app.cluster.Collective}: all-reduce of an ordered list of float arrays,
 *       all-gather, broadcast and barrier among W workers; {@link vista.models.app.cluster.LocalCollective}
 *       for one process;</li>
 *   <li>{@link vista.models.app.cluster.TreeSum}: the one fixed order of every sum over shards, which
 *       makes W workers give the bits of one process;</li>
 *   <li>{@link vista.models.app.cluster.HazelcastCollective}: one embedded Hazelcast member per process
 *       (Community features only), messages as {@link vista.models.app.cluster.Chunk}s of at most 4 MB in
 *       a {@link vista.models.app.cluster.Mailbox}, sealed with HMAC-SHA256 by
 *       {@link vista.models.app.cluster.ChunkSeal}; {@link vista.models.app.cluster.MemberAddress}: the
 *       {@code --cluster} list; {@link vista.models.app.cluster.ClusterFailure}: why a cluster stops;</li>
 *   <li>{@link vista.models.app.cluster.SessionStart}: what worker 0 sends every worker before a session
 *       (the run's config and, when resuming, its checkpoint).</li>
 * </ul>
 * May import {@code vista.nn.checkpoint}, {@code vista.tensor} and Hazelcast; never the rest of
 * {@code vista.models.app} ({@code app.train} uses this package, not the reverse).
 */
package vista.models.app.cluster;
