/**
 * Optimisers and learning-rate schedules: {@link vista.nn.optim.Sgd} with PyTorch's momentum, Nesterov
 * and weight-decay semantics; {@link vista.nn.optim.CosineSchedule} and {@link vista.nn.optim.StepSchedule}.
 */
package vista.nn.optim;
