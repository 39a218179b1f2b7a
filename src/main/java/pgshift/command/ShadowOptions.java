package pgshift.command;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import picocli.CommandLine.Option;

import pgshift.config.DatabaseUrl;
import pgshift.config.DotEnv;
import pgshift.schema.Shadow;

/** --shadow-url for the commands that gather evidence on a shadow database (verify, mark-applied). */
public final class ShadowOptions {

    @Option(names = "--shadow-url", paramLabel = "URL",
            description = "An empty database to replay the migrations into; it is emptied afterwards, never dropped "
                    + "(default: SHADOW_DATABASE_URL; else a new database on the target's server, or on the "
                    + "embedded PostgreSQL, dropped afterwards)")
    String shadowUrl;

    /** Opens the shadow as diff does: this option, else SHADOW_DATABASE_URL, else one pgshift makes. */
    Shadow open(Context ctx, Connection conn) throws SQLException {
        return Shadow.open(ctx.url(), conn, given(ctx.workingDir()), ctx.embeddedHome(), ctx.target().supabaseLayout(),
                ctx.console()::notice);
    }

    /** --shadow-url, else SHADOW_DATABASE_URL from the environment, .env.local or .env; null for none. */
    private DatabaseUrl given(Path workingDir) {
        String value = shadowUrl;
        if (blank(value)) {
            value = System.getenv(DiffCommand.SHADOW_DATABASE_URL);
        }
        for (String file : List.of(".env.local", ".env")) {
            if (blank(value)) {
                value = DotEnv.read(workingDir.resolve(file)).get(DiffCommand.SHADOW_DATABASE_URL);
            }
        }
        return blank(value) ? null : DatabaseUrl.parse(value.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
