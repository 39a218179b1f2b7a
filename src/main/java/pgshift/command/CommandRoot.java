package pgshift.command;

import java.time.Duration;

import pgshift.console.Console;

/**
 * What a command needs from the root it runs under, the CLI's ({@link PgshiftCommand}) or the
 * shell's: a context to run on and the options every command takes.
 */
public interface CommandRoot {

    /** The context this command runs on (the shell's stays open between commands). */
    Context openContext();

    Console console();

    /** Do not ask before changing a non-local database. */
    boolean yes();

    /** How long to wait for another run's migration lock. */
    Duration lockTimeout();

    /** How long a migration's statement may wait for a lock another session holds. */
    Duration tableLockTimeout();

    /** Stack traces with errors. */
    boolean verbose();
}
