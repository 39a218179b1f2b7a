package pgshift.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import pgshift.failure.PgshiftException;

/**
 * Decides the database URL (flag, environment, .env.local, .env) and the migrations folder, the
 * files and folder of the {@link Project} the working folder belongs to.
 */
public final class SettingsResolver {

    /** The variable read from the environment and from .env files. */
    public static final String DATABASE_URL = "DATABASE_URL";

    /* .env.local holds a developer's own overrides, so it is read before the shared .env. */
    private static final List<String> ENV_FILES = List.of(".env.local", ".env");
    private static final List<String> DEFAULT_DIRS = List.of("migrations", "supabase/migrations");

    private SettingsResolver() {
    }

    /**
     * Resolves the settings; {@code environment} is passed in rather than read so that callers and
     * tests decide what the process sees.
     *
     * @param flagUrl     the {@code --database-url} value, or null
     * @param flagDir     the {@code --dir} value, relative to {@code workingDir}, or null
     * @param environment the process environment
     * @param workingDir  the folder the project is looked for from, and {@code --dir} is relative to
     * @throws PgshiftException (config) for an unusable URL, a broken .env file or a bad {@code --dir}
     */
    public static Settings resolve(String flagUrl, String flagDir, Map<String, String> environment,
                                   Path workingDir) {
        Project project = Project.find(workingDir);
        Path dir = migrationsDir(flagDir, workingDir, project.root());
        if (isSet(flagUrl)) {
            return settings(flagUrl, "--database-url", dir, project);
        }
        String fromEnvironment = environment.get(DATABASE_URL);
        if (isSet(fromEnvironment)) {
            return settings(fromEnvironment, DATABASE_URL + " (environment)", dir, project);
        }
        // Files are read only when needed: a broken .env must not block a URL given another way.
        for (String name : ENV_FILES) {
            String fromFile = DotEnv.read(project.root().resolve(name)).get(DATABASE_URL);
            if (isSet(fromFile)) {
                return settings(fromFile, DATABASE_URL + " in " + shown(name, project, workingDir), dir, project);
            }
        }
        return new Settings(null, null, dir, project);
    }

    private static Settings settings(String url, String source, Path dir, Project project) {
        return new Settings(DatabaseUrlParser.parse(url, source), source, dir, project);
    }

    /** ".env", or the path from the working folder to the project's .env when the root is above it. */
    private static String shown(String name, Project project, Path workingDir) {
        Path here = workingDir.toAbsolutePath().normalize();
        return here.equals(project.root()) ? name : here.relativize(project.root().resolve(name)).toString();
    }

    private static Path migrationsDir(String flagDir, Path workingDir, Path root) {
        if (isSet(flagDir)) {
            Path dir = workingDir.resolve(flagDir.strip()).normalize();
            if (!Files.exists(dir)) {
                throw PgshiftException.config("The migrations folder " + dir + " given with --dir does not exist. "
                        + "Create it, or point --dir at the folder that holds your migration files.");
            }
            if (!Files.isDirectory(dir)) {
                throw PgshiftException.config("--dir points at " + dir + ", which is a file, not a folder. "
                        + "Point --dir at the folder that holds your migration files.");
            }
            return dir;
        }
        return DEFAULT_DIRS.stream()
                .map(root::resolve)
                .filter(Files::isDirectory)
                .findFirst()
                // The caller reports a missing folder, with advice on creating the first migration.
                .orElse(root.resolve(DEFAULT_DIRS.get(0)));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
