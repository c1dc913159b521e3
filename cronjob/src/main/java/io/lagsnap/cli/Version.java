package io.lagsnap.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import picocli.CommandLine;

/**
 * {@code lagsnap --version}: the version and whether the AppCDS archive is in use. A static archive that does not fit
 * (another jar path, size or mtime, or another JDK build) is dropped silently by {@code -Xshare:auto}, and the JVM
 * then shares nothing, so "sharing" in java.vm.info together with a SharedArchiveFile means the archive was mapped.
 */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"lagsnap 0.1.0", cdsStatus(sharedArchiveFile(), System.getProperty("java.vm.info", ""))};
    }

    static String cdsStatus(String archive, String vmInfo) {
        if (archive.isEmpty()) {
            return "AppCDS archive: none given (use the lagsnap launcher next to the jar)";
        }
        if (vmInfo.contains("sharing")) {
            return "AppCDS archive: used (" + archive + ")";
        }
        return "AppCDS archive: NOT used: " + archive + " does not fit this jar's path, size and mtime or this JDK"
                + " (the lagsnap launcher next to the jar rebuilds it from lagsnap.classlist)";
    }

    private static String sharedArchiveFile() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("SharedArchiveFile").getValue();
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }
}
