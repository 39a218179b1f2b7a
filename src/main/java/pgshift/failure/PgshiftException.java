package pgshift.failure;

/**
 * The one user-facing error: a message that says what went wrong, where, and what to do,
 * plus the exit code the CLI returns for it.
 */
public class PgshiftException extends RuntimeException {

    /** What kind of failure this is; each kind has exactly one exit code. */
    public enum Kind {
        /** A migration failed, a migration file is invalid, or {@code status --check} found problems. */
        MIGRATION(1),
        /** The command line was wrong: unknown option, unknown version, conflicting arguments. */
        USAGE(2),
        /** Configuration or connection: bad URL, unreachable server, lock timeout, missing folder. */
        CONFIG(3),
        /** The user stopped the command (Ctrl-C); what ran was rolled back on the server. */
        CANCELLED(130);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public PgshiftException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PgshiftException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode();
    }

    public static PgshiftException migration(String message) {
        return new PgshiftException(Kind.MIGRATION, message);
    }

    public static PgshiftException usage(String message) {
        return new PgshiftException(Kind.USAGE, message);
    }

    public static PgshiftException config(String message) {
        return new PgshiftException(Kind.CONFIG, message);
    }

    public static PgshiftException cancelled(String message) {
        return new PgshiftException(Kind.CANCELLED, message);
    }

    public static PgshiftException config(String message, Throwable cause) {
        return new PgshiftException(Kind.CONFIG, message, cause);
    }
}
