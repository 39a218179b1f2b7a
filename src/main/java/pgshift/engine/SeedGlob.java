package pgshift.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFile;

/** Expands a {@code --seed} glob (the JDK's glob syntax, {@code **} crossing folders) to files sorted by name. */
final class SeedGlob {

    private static final String GLOB_CHARS = "*?[{";

    private SeedGlob() {
    }

    static boolean isGlob(String arg) {
        return arg.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
    }

    /**
     * The regular files a glob matches, sorted by name. The walk starts from the pattern's longest
     * leading part without glob characters, so {@code supabase/seeds/*.sql} reads one folder.
     */
    static List<Path> matches(String arg, Path workingDir) {
        int cut = arg.lastIndexOf('/', indexOfGlob(arg));
        Path base = workingDir.resolve(cut < 0 ? "." : cut == 0 ? "/" : arg.substring(0, cut))
                .toAbsolutePath().normalize();
        String rest = arg.substring(cut + 1);
        List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(base)) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
            int depth = rest.contains("**") ? Integer.MAX_VALUE : (int) rest.chars().filter(c -> c == '/').count() + 1;
            try (Stream<Path> walk = Files.walk(base, depth)) {
                walk.filter(Files::isRegularFile).filter(p -> matcher.matches(base.relativize(p))).forEach(matches::add);
            } catch (IOException | UncheckedIOException e) {
                throw PgshiftException.config("--seed " + arg + ": cannot list " + base + ": " + e.getMessage());
            }
        }
        if (matches.isEmpty()) {
            throw PgshiftException.usage("--seed " + arg + " matches no file (looked in " + base + "). Check the "
                    + "pattern, which is relative to the current folder, or pass --no-seed to load no seed file.");
        }
        matches.sort((a, b) -> MigrationFile.compareText(base.relativize(a).toString(), base.relativize(b).toString()));
        return matches;
    }

    private static int indexOfGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (GLOB_CHARS.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
