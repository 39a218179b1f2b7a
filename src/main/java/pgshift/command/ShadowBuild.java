package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import pgshift.config.DatabaseUrl;
import pgshift.config.DotEnv;
import pgshift.db.Executor;
import pgshift.engine.MigrationListener;
import pgshift.failure.PgshiftException;
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
     * Starts making the shadow on another thread, for the command to take once it has read the
     * target: the CREATE DATABASE (0.15-0.45 s on the benchmark's busy 2 cores; the embedded
     * server's start, seconds) then runs beside the scan and the plan instead of after them.
     */
    static Early start(Context ctx, Connection conn, DatabaseUrl given) throws SQLException {
        Shadow.Opening opening = Shadow.prepare(ctx.url(), conn, given, ctx.embeddedHome(), ctx.target().supabaseLayout(),
                ctx.console()::notice);
        FutureTask<Shadow> task = new FutureTask<>(opening::open);
        boolean early = opening.onTargetServer(); // else made when taken: no embedded start for nothing to rehearse
        if (early) {
            Thread thread = new Thread(task, "pgshift-shadow-make");
            thread.setDaemon(true);
            thread.start();
        }
        return new Early(task, early, ctx.url().masked());
    }

    /** A shadow being made (see {@link #start}); closing it drops the shadow unless it was taken. */
    static final class Early implements AutoCloseable {

        /** How long a shadow may take to be made: the embedded server's first start unpacks it. */
        private static final Duration WAIT = Duration.ofMinutes(5);

        private final FutureTask<Shadow> task;
        private final String target;
        private boolean started;
        private boolean taken;

        private Early(FutureTask<Shadow> task, boolean started, String target) {
            this.task = task;
            this.started = started;
            this.target = target;
        }

        /** The shadow, once made; what failed making it is thrown as {@link ShadowBuild#open} throws it. */
        Shadow take() throws SQLException {
            if (!started) {
                started = true;
                task.run(); // here and now, as before there were early shadows
            }
            try {
                Shadow shadow = task.get(WAIT.toMinutes(), TimeUnit.MINUTES);
                taken = true;
                return shadow;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PgshiftException.cancelled("Cancelled while the shadow database was being made: it is removed; "
                        + "nothing was changed on " + target + ".");
            } catch (TimeoutException e) {
                throw PgshiftException.config("The shadow database was not made within " + WAIT.toMinutes()
                        + " minutes (CREATE DATABASE, or the embedded PostgreSQL's start, did not end); check the "
                        + "server's log, or give an empty database with --shadow-url.");
            }
        }

        /** Drops the shadow when it was made and not taken; waits for the making to end first. */
        @Override
        public void close() {
            if (taken || !started) {
                return;
            }
            boolean interrupted = Thread.interrupted(); // the drop must happen whatever interrupted the command
            try {
                task.get(WAIT.toMinutes(), TimeUnit.MINUTES).close();
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                // Not made (its failure is the command's to report), or still being made: its shutdown hook drops it.
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
