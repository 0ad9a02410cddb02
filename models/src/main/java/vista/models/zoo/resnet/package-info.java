/**
 * Bottleneck ResNets (He et al. 2016, torchvision's layout and parameter names) and the SASA-ResNets of
 * Ramachandran et al. 2019, which replace every spatial 3x3 convolution by local self-attention
 * ({@link vista.nn.sasa.LocalSelfAttention2d}) and optionally the stem by the attention stem:
 * {@link vista.models.zoo.resnet.ResNetSpec} says which, {@link vista.models.zoo.resnet.Bottleneck} is one
 * block, {@link vista.models.zoo.resnet.ResNet} the network. Both offer their inference form
 * ({@link vista.nn.inference.Foldable}: norms folded into the convolutions, ReLUs and shortcuts in their epilogues).
 */
package vista.models.zoo.resnet;
