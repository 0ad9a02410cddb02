package vista.models.app.cli;

import picocli.CommandLine.IVersionProvider;
import vista.tensor.runtime.Vectors;
import vista.tensor.runtime.Parallel;

/** {@code vista --version}: the program's version and the runtime facts that shape its results. */
final class VistaVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VistaCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "Vista " + (version == null ? "(development build)" : version),
            "JDK " + System.getProperty("java.vm.vendor") + " " + Runtime.version(),
            "Vector species " + Vectors.FLOAT + ", threads " + Parallel.threads(),
        };
    }
}
