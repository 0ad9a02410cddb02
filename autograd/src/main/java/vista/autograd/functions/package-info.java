/**
 * The differentiable operations: one {@link vista.autograd.Function} subclass per operation, whose
 * javadoc states {@code y} and {@code dL/dx} in terms of {@code g = dL/dy}. Broadcasting operations
 * reduce their gradients with {@link vista.autograd.functions.GradientShapes#sumToShape}.
 */
package vista.autograd.functions;
