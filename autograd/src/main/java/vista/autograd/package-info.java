/** Reverse-mode automatic differentiation over {@code vista.tensor}. */
package vista.autograd;
