package pgshift.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import pgshift.config.Settings;
import pgshift.config.SettingsResolver;
import pgshift.console.Console;

/**
 * The command line's root: the options every command shares, and the way to a {@link Context}.
 * Without a command, {@code pgshift.Main} opens the shell with these options.
 */
@Command(name = "pgshift", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "PostgreSQL schema migrations from plain .sql files, recorded in the Supabase ledger "
                + "(supabase_migrations.schema_migrations).",
        subcommands = {StatusCommand.class, ApplyCommand.class, DryRunCommand.class, MarkAppliedCommand.class,
                MarkRevertedCommand.class, HistoryCommand.class, ShowCommand.class, SqlCommand.class, NewCommand.class,
                WatchCommand.class, ResetCommand.class, DiffCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Without a COMMAND: the shell, which runs these commands and connect, rescan, watch on|off "
                + "on one open connection (the options given here hold for all of its lines).",
                "", "Exit codes: 0 success, 1 migration failed or --check found problems, 2 usage error, "
                + "3 configuration or connection error."})
public final class PgshiftCommand implements CommandRoot {

    @Option(names = "--database-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "postgresql://user:password@host:port/db or jdbc:postgresql:... "
                    + "(default: DATABASE_URL from the environment, .env.local or .env; else an embedded PostgreSQL)")
    String databaseUrl;

    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Migrations folder (default: migrations/, else supabase/migrations/)")
    String dir;

    @Option(names = {"-y", "--yes"}, scope = ScopeType.INHERIT,
            description = "Do not ask before changing a non-local database")
    boolean yes;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "10s", scope = ScopeType.INHERIT,
            converter = DurationConverter.class,
            description = "How long to wait for another run's migration lock, e.g. 10s, 500ms (default: ${DEFAULT-VALUE})")
    Duration lockTimeout = Duration.ofSeconds(10);

    @Option(names = "--table-lock-timeout", paramLabel = "DURATION", defaultValue = "60s", scope = ScopeType.INHERIT,
            converter = DurationConverter.class,
            description = "How long a migration's statement may wait for a lock another session holds (say, the "
                    + "app's open transaction) before the file is rolled back; who holds it is shown after 2 s "
                    + "(default: ${DEFAULT-VALUE})")
    Duration tableLockTimeout = Duration.ofSeconds(60);

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces and library logging")
    boolean verbose;

    private final Map<String, String> environment;
    private final Path workingDir;
    private final Console console;
    /** The context the running command opened, for cancelling it (Ctrl-C, SIGTERM). */
    private volatile Context opened;

    public PgshiftCommand(Map<String, String> environment, Path workingDir, Console console) {
        this.environment = environment;
        this.workingDir = workingDir;
        this.console = console;
    }

    /** Settings are resolved per command, so a broken .env only fails commands that need it. */
    @Override
    public Context openContext() {
        Settings settings = SettingsResolver.resolve(databaseUrl, dir, environment, workingDir);
        opened = new Context(settings, console, workingDir);
        return opened;
    }

    /** Cancels what the running command runs on the server; false when it had nothing running. */
    public boolean cancelRunning() {
        Context ctx = opened;
        return ctx != null && ctx.cancelRunning();
    }

    /**
     * A context on this command line's settings that stays open between commands (a shell's).
     *
     * @param shellConsole where the shell's commands print (its terminal)
     */
    public Context sharedContext(Console shellConsole) {
        return Context.shared(SettingsResolver.resolve(databaseUrl, dir, environment, workingDir), shellConsole, workingDir);
    }

    @Override
    public Console console() {
        return console;
    }

    @Override
    public boolean yes() {
        return yes;
    }

    @Override
    public Duration lockTimeout() {
        return lockTimeout;
    }

    @Override
    public Duration tableLockTimeout() {
        return tableLockTimeout;
    }

    @Override
    public boolean verbose() {
        return verbose;
    }
}
