/** Loss functions: {@link vista.nn.loss.CrossEntropyLoss} with PyTorch's and SAN's label smoothing. */
package vista.nn.loss;
