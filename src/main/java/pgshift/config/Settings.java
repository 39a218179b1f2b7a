package pgshift.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where pgshift connects and which folder it reads, as resolved from flags, environment and .env files.
 *
 * @param databaseUrl       the target, or null when nothing is configured and an embedded database is used
 * @param databaseUrlSource where the URL came from, like "DATABASE_URL in .env"; null with no URL
 * @param migrationsDir     the migrations folder, which may not exist yet
 * @param project           the project the run belongs to (its root holds .pgshift/); null: the working folder's
 */
public record Settings(DatabaseUrl databaseUrl, String databaseUrlSource, Path migrationsDir, Project project) {

    public Settings {
        Objects.requireNonNull(migrationsDir, "migrationsDir");
    }

    /** Settings with no project found: the working folder is the project. */
    public Settings(DatabaseUrl databaseUrl, String databaseUrlSource, Path migrationsDir) {
        this(databaseUrl, databaseUrlSource, migrationsDir, null);
    }

    /** Whether no URL was configured, so the caller starts an embedded database. */
    public boolean usesEmbeddedDatabase() {
        return databaseUrl == null;
    }
}
