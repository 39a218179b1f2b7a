package pgshift.command;

import java.sql.Connection;
import java.sql.SQLException;

import picocli.CommandLine.Option;

import pgshift.schema.Shadow;

/** --shadow-url for the commands that gather evidence on a shadow database (verify, mark-applied). */
public final class ShadowOptions {

    @Option(names = "--shadow-url", paramLabel = "URL",
            description = "An empty database to replay the migrations into; it is emptied afterwards, never dropped "
                    + "(default: SHADOW_DATABASE_URL; else a new database on the target's server, or on the "
                    + "embedded PostgreSQL, dropped afterwards)")
    String shadowUrl;

    /** Opens the shadow as diff and dry-run do: this option, else SHADOW_DATABASE_URL, else one pgshift makes. */
    Shadow open(Context ctx, Connection conn) throws SQLException {
        return ShadowBuild.open(ctx, conn, ShadowBuild.givenUrl(shadowUrl, ctx.workingDir()));
    }
}
