package pgshift.command;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest ("dev" when run from classes). */
public final class Version implements IVersionProvider {

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The version plus when this build's code was written (the jar's or the classes' time): caches
     * derived from how pgshift reads files must not survive a rebuild, even without a version bump.
     */
    public static String build() {
        try {
            var location = Version.class.getProtectionDomain().getCodeSource().getLocation();
            return current() + "+" + java.nio.file.Files.getLastModifiedTime(java.nio.file.Path.of(location.toURI())).toMillis();
        } catch (Exception e) {
            return current() + "+unknown-build-" + System.nanoTime(); // never matches: no cache reuse
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pgshift " + current()};
    }
}
