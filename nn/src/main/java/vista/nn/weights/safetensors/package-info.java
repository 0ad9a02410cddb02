/**
 * safetensors weight files, read and written in pure Java: {@link vista.nn.weights.safetensors.Safetensors}
 * (the format; reading), {@code SafetensorsWriter} (writing as the reference writers do), the checked
 * header ({@code SafetensorsHeader}), its strict JSON parser ({@code HeaderJson}) and the element types
 * ({@code SafetensorsDType}). The rule: every byte read is untrusted; nothing is allocated from a length
 * the file has not been checked to back, and every refusal is a
 * {@link vista.nn.weights.safetensors.SafetensorsException} naming the file. Imports {@code vista.tensor}
 * and {@code vista.nn.checkpoint} (its atomic writes) only.
 */
package vista.nn.weights.safetensors;
