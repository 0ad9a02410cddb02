/** The model zoo and the {@code vista} command-line program. */
package vista.models;
