package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import pgshift.config.DatabaseUrl;
import pgshift.config.DotEnv;
import pgshift.db.Executor;
import pgshift.engine.MigrationListener;
import pgshift.migration.MigrationFolder;
import pgshift.migration.PlanEntry;
import pgshift.schema.Shadow;

/** How the commands that need a shadow database (diff, dry-run) choose it, open it and fill it with progress lines. */
final class ShadowBuild {

    static final String SHADOW_DATABASE_URL = "SHADOW_DATABASE_URL";

    private ShadowBuild() {
    }

    /** --shadow-url, else SHADOW_DATABASE_URL from the environment, .env.local or .env; null for none. */
    static DatabaseUrl givenUrl(String option, Path workingDir) {
        String value = option;
        if (blank(value)) {
            value = System.getenv(SHADOW_DATABASE_URL);
        }
        for (String file : List.of(".env.local", ".env")) {
            if (blank(value)) {
                value = DotEnv.read(workingDir.resolve(file)).get(SHADOW_DATABASE_URL);
            }
        }
        return blank(value) ? null : DatabaseUrl.parse(value.strip());
    }

    /** The shadow for the context's target (see {@link Shadow#open}); {@code given} from {@link #givenUrl}. */
    static Shadow open(Context ctx, Connection conn, DatabaseUrl given) throws SQLException {
        return Shadow.open(ctx.url(), conn, given, ctx.embeddedHome(), ctx.target().supabaseLayout(),
                ctx.console()::notice);
    }

    /**
     * Replays {@code versions} into the shadow, saying first that the shadow is being built (the
     * shell's only sign of life during a long replay), then every 10% (at least 100 files).
     */
    static void replay(Context ctx, Shadow shadow, MigrationFolder.Scan scan, Set<String> versions,
                       java.time.Duration lockTimeout) throws SQLException {
        MigrationListener progress = progress(ctx, shadow, versions.size());
        shadow.replay(ctx.planner(), scan, versions, progress, lockTimeout, e -> ctx.display(e.file()));
    }

    /** Says that the shadow is being built; the listener says how far, for a replay of {@code total} files. */
    static MigrationListener progress(Context ctx, Shadow shadow, int total) {
        ctx.console().notice("Building the shadow database: 0/" + total + " migrations... (" + shadow.describe() + ")");
        int step = Math.max(100, total / 10);
        return new MigrationListener() {
            private int done;

            @Override
            public void applied(PlanEntry entry, Executor.Applied outcome) {
                done++;
                if (done % step == 0 && done < total) {
                    ctx.console().notice("Building the shadow database: " + done + "/" + total + " migrations...");
                }
            }
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
