/**
 * The networks and the program that trains, checks and explains them, in two rooms:
 * <ul>
 *   <li>{@code vista.models.zoo}: the networks only (ResNet and SASA-ResNet in {@code zoo.resnet}, SAN in
 *       {@code zoo.san}) and {@link vista.models.zoo.ModelZoo}, which builds them by name;</li>
 *   <li>{@code vista.models.app}: the application around them: the command line ({@code app.cli}), the
 *       training loop ({@code app.train}), run manifests, replay and verification ({@code app.provenance}),
 *       PyTorch parity ({@code app.parity}), summaries and the papers' audit ({@code app.summary}) and
 *       attention pictures ({@code app.attention}).</li>
 * </ul>
 * <b>Rule.</b> The zoo imports {@code nn}, {@code autograd} and the tensor geometry, never the application;
 * the application may import the zoo.
 */
package vista.models;
