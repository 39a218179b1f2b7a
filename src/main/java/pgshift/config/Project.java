package pgshift.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project a run belongs to: the nearest folder at or above the working folder that holds
 * {@code supabase/}, {@code migrations/}, {@code .env.local} or {@code .git}, whose .env files,
 * migrations folder and embedded database ({@code .pgshift/}) every run from inside it shares.
 *
 * @param root   the project's folder (the working folder when nothing above it qualifies)
 * @param marker what made it the root, like "supabase/"; null when nothing did
 */
public record Project(Path root, String marker) {

    /* In the order a marker is named in the notice: the most telling first. */
    private static final List<String> FOLDER_MARKERS = List.of("supabase", "migrations", ".git");
    private static final List<String> FILE_MARKERS = List.of(".env.local", ".git");

    /** Walks up from {@code workingDir} to the nearest project root; the working folder itself when none is found. */
    public static Project find(Path workingDir) {
        Path start = workingDir.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            // The Supabase CLI looks for the folder holding supabase/: run from inside supabase/ (which
            // holds migrations/), the project is still its parent's.
            if (isSupabaseFolder(dir)) {
                continue;
            }
            String marker = marker(dir);
            if (marker != null) {
                return new Project(dir, marker);
            }
        }
        return new Project(start, null);
    }

    /** The folder the embedded PostgreSQL keeps its data in: one per project, at its root. */
    public Path home() {
        return root.resolve(".pgshift");
    }

    /**
     * Whether this is a Supabase project: a {@code supabase/} folder at the root holding
     * {@code migrations/} or {@code config.toml}, as {@code supabase init} makes it.
     */
    public boolean supabaseLayout() {
        Path supabase = root.resolve("supabase");
        return Files.isDirectory(supabase.resolve("migrations")) || Files.isRegularFile(supabase.resolve("config.toml"));
    }

    /** The one line saying the project is above the working folder; null when it is the working folder. */
    public String notice(Path workingDir) {
        Path here = workingDir.toAbsolutePath().normalize();
        if (here.equals(root)) {
            return null;
        }
        return "Using the project in " + root + " (it holds " + marker + "): its .env files, migrations "
                + "and embedded database.";
    }

    private static boolean isSupabaseFolder(Path dir) {
        Path name = dir.getFileName();
        return name != null && name.toString().equals("supabase") && dir.getParent() != null;
    }

    private static String marker(Path dir) {
        for (String name : FOLDER_MARKERS) {
            if (Files.isDirectory(dir.resolve(name))) {
                return name + "/";
            }
        }
        for (String name : FILE_MARKERS) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return name; // .git is a file in a git worktree or submodule
            }
        }
        return null;
    }
}
