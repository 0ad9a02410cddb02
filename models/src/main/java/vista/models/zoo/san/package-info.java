/**
 * The SAN networks of Zhao, Jia and Koltun 2020 (SAN10, SAN15, SAN19, pairwise or patchwise), with the
 * official code's structure and parameter names: {@link vista.models.zoo.san.SanSpec} (layers per stage,
 * kernel sizes, widths), {@link vista.models.zoo.san.SanBottleneck} (one residual block around a
 * {@code vista.nn.san} attention block) and {@link vista.models.zoo.san.San}.
 */
package vista.models.zoo.san;
