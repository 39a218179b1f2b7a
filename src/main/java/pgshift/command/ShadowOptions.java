package pgshift.command;

import java.sql.Connection;
import java.sql.SQLException;

import picocli.CommandLine.Option;

import pgshift.config.DatabaseUrl;
import pgshift.schema.Shadow;

/** --shadow-url for the commands that work on a shadow database (diff, dry-run, verify, mark-applied). */
public final class ShadowOptions {

    @Option(names = "--shadow-url", paramLabel = "URL",
            description = "An empty database to replay the migrations into; it is emptied afterwards, never dropped "
                    + "(default: SHADOW_DATABASE_URL; else a new database on the target's server, or on the "
                    + "embedded PostgreSQL, dropped afterwards)")
    String shadowUrl;

    /** The shadow given: this option, else SHADOW_DATABASE_URL (environment, .env.local, .env); null for none. */
    DatabaseUrl given(Context ctx) {
        return ShadowBuild.givenUrl(shadowUrl, ctx.workingDir());
    }

    /** Whether --shadow-url was typed. */
    boolean typed() {
        return shadowUrl != null;
    }

    /** Opens the shadow: the one given, else one pgshift makes. */
    Shadow open(Context ctx, Connection conn) throws SQLException {
        return ShadowBuild.open(ctx, conn, given(ctx));
    }
}
