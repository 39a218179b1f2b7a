package pgshift.db;

import java.nio.file.Path;
import java.util.List;

import pgshift.failure.PgshiftException;

/**
 * Why the embedded PostgreSQL did not start, from what its start wrote to the log: the server's
 * own FATAL lines, and what to do. Only data that PostgreSQL itself refuses as a data directory
 * (made by another version, not a data directory) is called unusable, and then the advice is to
 * keep a copy before starting afresh; any other failure leaves the data alone.
 */
final class StartFailure {

    /* PostgreSQL's words for a data folder it cannot use at all, as opposed to a setting, port or disk problem. */
    private static final List<String> UNUSABLE = List.of("database files are incompatible with server",
            "is not a valid data directory", "exists but is not empty", "incorrect checksum in control file",
            "could not read file \"global/pg_control\"");

    private StartFailure() {
    }

    static PgshiftException of(Path home, Path data, Path log, String output) {
        List<String> lines = output.lines().map(String::strip).toList();
        List<String> server = lines.stream()
                .filter(l -> l.contains("FATAL:") || l.contains("DETAIL:") || l.contains("initdb: error:")
                        || l.contains("LOG:  invalid value") || l.contains("LOG:  could not"))
                .map(l -> l.replaceFirst("^.*?(FATAL|DETAIL|LOG):\\s*", "$1: "))
                .distinct().limit(6).toList();
        String why = server.isEmpty()
                ? lines.stream().filter(l -> l.startsWith(EmbeddedStart.FAILED)).reduce((a, b) -> b)
                        .map(l -> l.substring(EmbeddedStart.FAILED.length())).orElse("no reason given")
                : String.join(" ", server);
        why = why.endsWith(".") ? why : why + ".";
        boolean unusable = UNUSABLE.stream().anyMatch(output::contains);
        if (unusable) {
            Path copy = data.resolveSibling(data.getFileName() + ".saved");
            return PgshiftException.config("The embedded PostgreSQL cannot use the data in " + data + ": " + why
                    + " Keep a copy of it first (mv " + data + " " + copy + "; the PostgreSQL version that made it "
                    + "can still open it), then run the command again: pgshift starts an empty database there. "
                    + "Its log is " + log + ".");
        }
        return PgshiftException.config("The embedded PostgreSQL in " + home + " did not start: " + why
                + " Its log is " + log + "; the data in " + data + " is kept as it is. Fix what the log names "
                + "(a full disk, a setting in " + data.resolve("postgresql.conf") + ") and run the command again, "
                + "or use your own database with DATABASE_URL or --database-url.");
    }
}
