/**
 * The {@code vista} program: {@link vista.models.app.cli.VistaCommand} and one picocli command class per
 * subcommand ({@code train}, {@code eval}, {@code compare}, {@code plot}, {@code predict}, {@code import},
 * {@code replay}, {@code verify}, {@code summary}, {@code audit}, {@code parity}, {@code attention},
 * {@code demo}). Options that several commands share are declared once, as mixins with one validation each: {@link vista.models.app.cli.ThreadsOption},
 * {@link vista.models.app.cli.DataOption}, {@link vista.models.app.cli.SeedOption},
 * {@link vista.models.app.cli.JsonOption} and {@link vista.models.app.cli.ProgressOption};
 * {@link vista.models.app.cli.UsageError} prints a usage error the same way everywhere.
 * {@link vista.models.app.cli.ClusterOptions} holds {@code train}'s {@code --cluster} options and
 * {@link vista.models.app.cli.ClusterRun} one worker's session (join, agree on the run with worker 0, train).
 *
 * <p><b>Rule.</b> Commands parse, validate and print; the work they start lives in the other
 * {@code app} packages and in the zoo. This is the only package that knows picocli.
 */
package vista.models.app.cli;
