package pgshift.migration;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import pgshift.failure.PgshiftException;

/**
 * Scans a migrations folder into files in run order (file name, byte by byte, as the Supabase CLI);
 * subfolders are ignored, and every .sql file that is skipped gets a warning saying why.
 */
public final class MigrationFolder {

    /** The result of a scan: the migrations, and a warning for each .sql file that was skipped. */
    public record Scan(List<MigrationFile> files, List<String> warnings) {
        public Optional<MigrationFile> find(String version) {
            return files.stream().filter(f -> f.version().equals(version)).findFirst();
        }
    }

    private MigrationFolder() {
    }

    /** Fails unless the folder exists: the one error worth knowing before anything else starts. */
    public static void requireExists(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw PgshiftException.config("The migrations folder " + folder + " does not exist. Create it, "
                    + "or point pgshift at yours with --dir DIR (default: migrations/, else supabase/migrations/).");
        }
    }

    public static Scan scan(Path folder) {
        requireExists(folder);
        // With its name, so sorting 10,000 files does not take a Path apart 300,000 times.
        List<Map.Entry<String, MigrationFile>> named = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        // Filtered by name here rather than with a glob: cheaper for a folder of 10,000 files.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.toLowerCase(Locale.ROOT).endsWith(".sql")) {
                    continue;
                }
                String skipped = whySkipped(entry, name);
                if (skipped != null) {
                    warnings.add("Skipping " + MigrationFile.printable(name) + ": " + skipped);
                    continue;
                }
                if (!Files.isRegularFile(entry)) {
                    continue; // a folder named like a file
                }
                Optional<MigrationFile> file = MigrationFile.parse(entry);
                if (file.isPresent()) {
                    named.add(Map.entry(name, file.get()));
                } else {
                    warnings.add("Skipping " + MigrationFile.printable(name) + ": a migration file name must look like "
                            + MigrationFile.EXPECTED_FORM + ".");
                }
            }
        } catch (IOException e) {
            throw PgshiftException.config("Cannot read the migrations folder " + folder + ": " + e.getMessage());
        }
        named.sort((a, b) -> MigrationFile.compareText(a.getKey(), b.getKey())); // MigrationFile.RUN_ORDER
        List<MigrationFile> files = new ArrayList<>(named.size());
        named.forEach(e -> files.add(e.getValue()));
        rejectDuplicates(files);
        warnings.sort(MigrationFile::compareText);
        return new Scan(List.copyOf(files), List.copyOf(warnings));
    }

    /** Why a .sql-like entry is not a migration though it may look like one; null when nothing is wrong. */
    private static String whySkipped(Path entry, String name) {
        if (!name.endsWith(".sql")) {
            if (Files.isDirectory(entry)) {
                return null; // a folder, ignored as any other
            }
            return "the Supabase CLI reads only files ending in lower-case .sql, so it would not run it either. "
                    + "Rename it to " + MigrationFile.printable(name.substring(0, name.length() - 4)) + ".sql if it is a migration.";
        }
        if (name.indexOf('\uFFFD') >= 0 && !Files.exists(entry.resolveSibling(name), LinkOption.NOFOLLOW_LINKS)) {
            // The name's bytes are not UTF-8: Java cannot spell it, and the ledger could not record it faithfully.
            return "its name is not valid UTF-8 (shown with \uFFFD where its bytes could not be read). Rename it.";
        }
        if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
            String target;
            try {
                target = MigrationFile.printable(Files.readSymbolicLink(entry).toString());
            } catch (IOException e) {
                target = "?";
            }
            return "it is a symbolic link to " + target + ", which does not exist.";
        }
        return null;
    }

    private static void rejectDuplicates(List<MigrationFile> files) {
        // 1_a.sql and 01_b.sql are distinct ledger keys but one number to a person: reject them too.
        Map<String, MigrationFile> seen = new HashMap<>();
        for (MigrationFile file : files) {
            MigrationFile other = seen.putIfAbsent(MigrationFile.numericKey(file.version()), file);
            if (other != null) {
                String[] names = {other.displayName(), file.displayName()};
                java.util.Arrays.sort(names, MigrationFile::compareText);
                String versions = other.version().equals(file.version()) ? "the version " + file.version()
                        : "the versions " + other.version() + " and " + file.version() + ", the same number";
                throw PgshiftException.migration("Two migration files have " + versions + ": "
                        + names[0] + " and " + names[1] + ". Versions must be unique; rename one of them "
                        + "(e.g. give it a later timestamp).");
            }
        }
    }
}
