package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pgshift.failure.PgshiftException;

class SettingsTest {

    @TempDir
    Path work;

    /**
     * Each source is "url" (a URL whose host names the source), "empty" (set to an empty string),
     * "blank" (only spaces), "other" (a .env file without DATABASE_URL) or "none" (absent).
     */
    @ParameterizedTest(name = "flag={0} env={1} .env.local={2} .env={3}")
    @CsvSource(textBlock = """
            url,   url,   url,   url,   flag-host,      --database-url
            none,  url,   url,   url,   env-host,       DATABASE_URL (environment)
            none,  none,  url,   url,   local-host,     DATABASE_URL in .env.local
            none,  none,  none,  url,   dotenv-host,    DATABASE_URL in .env
            none,  none,  none,  none,  ,
            empty, url,   url,   url,   env-host,       DATABASE_URL (environment)
            blank, none,  url,   none,  local-host,     DATABASE_URL in .env.local
            none,  empty, url,   url,   local-host,     DATABASE_URL in .env.local
            none,  blank, none,  url,   dotenv-host,    DATABASE_URL in .env
            none,  none,  empty, url,   dotenv-host,    DATABASE_URL in .env
            none,  none,  other, url,   dotenv-host,    DATABASE_URL in .env
            none,  none,  other, other, ,
            none,  none,  empty, empty, ,
            url,   none,  none,  none,  flag-host,      --database-url
            none,  url,   none,  none,  env-host,       DATABASE_URL (environment)
            none,  none,  url,   none,  local-host,     DATABASE_URL in .env.local
            """)
    void databaseUrlPrecedence(String flag, String env, String local, String dotenv, String host, String source)
            throws IOException {
        writeEnvFile(".env.local", local, "local-host");
        writeEnvFile(".env", dotenv, "dotenv-host");
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin"));
        if (!env.equals("none")) {
            environment.put("DATABASE_URL", value(env, "env-host"));
        }

        Settings settings = SettingsResolver.resolve(flag.equals("none") ? null : value(flag, "flag-host"),
                null, environment, work);

        assertThat(settings.databaseUrlSource()).isEqualTo(source);
        assertThat(settings.usesEmbeddedDatabase()).isEqualTo(host == null);
        if (host != null) {
            assertThat(settings.databaseUrl().host()).isEqualTo(host);
            assertThat(settings.databaseUrl().password()).isEqualTo("pw");
        }
    }

    @Test
    void aBrokenEnvFileIsNotReadWhenTheEnvironmentHasTheUrl() throws IOException {
        Files.writeString(work.resolve(".env"), "this is not an assignment\n");

        Settings settings = SettingsResolver.resolve(null, null,
                Map.of("DATABASE_URL", "postgresql://env-host/app"), work);

        assertThat(settings.databaseUrl().host()).isEqualTo("env-host");
    }

    @Test
    void aBrokenEnvFileIsReportedWhenItIsNeeded() throws IOException {
        Files.writeString(work.resolve(".env"), "A=1\nthis is not an assignment\n");

        PgshiftException e = catchThrowableOfType(PgshiftException.class,
                () -> SettingsResolver.resolve(null, null, Map.of(), work));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith(work.resolve(".env") + ":2: ");
    }

    @CsvSource(delimiter = '|', textBlock = """
            flag   | --database-url
            env    | DATABASE_URL (environment)
            local  | DATABASE_URL in .env.local
            dotenv | DATABASE_URL in .env
            """)
    @ParameterizedTest(name = "{0}")
    void anUnusableUrlNamesItsSourceButNotItsPassword(String where, String source)
            throws IOException {
        String bad = "mysql://u:s3cretpw@db/app";
        Map<String, String> environment = where.equals("env") ? Map.of("DATABASE_URL", bad) : Map.of();
        if (where.equals("local")) {
            Files.writeString(work.resolve(".env.local"), "DATABASE_URL=" + bad + "\n");
        }
        if (where.equals("dotenv")) {
            Files.writeString(work.resolve(".env"), "DATABASE_URL='" + bad + "'\n");
        }

        PgshiftException e = catchThrowableOfType(PgshiftException.class,
                () -> SettingsResolver.resolve(where.equals("flag") ? bad : null, null, environment, work));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG);
        assertThat(e.getMessage())
                .startsWith("Cannot use the database URL from " + source + " 'mysql://u:***@db/app'")
                .doesNotContain("s3cretpw");
    }

    @ParameterizedTest(name = "existing: {0}")
    @CsvSource(textBlock = """
            '',                                 migrations
            migrations,                         migrations
            supabase/migrations,                supabase/migrations
            migrations;supabase/migrations,     migrations
            supabase,                           migrations
            file:migrations;supabase/migrations, supabase/migrations
            file:migrations,                    migrations
            """)
    void migrationsFolderFallsBack(String existing, String expected) throws IOException {
        for (String entry : existing.split(";")) {
            if (entry.startsWith("file:")) {
                Files.writeString(work.resolve(entry.substring(5)), "not a folder");
            } else if (!entry.isEmpty()) {
                Files.createDirectories(work.resolve(entry));
            }
        }

        Settings settings = SettingsResolver.resolve(null, null, Map.of(), work);

        assertThat(settings.migrationsDir()).isEqualTo(work.resolve(expected));
    }

    @ParameterizedTest(name = "--dir {0}")
    @CsvSource(textBlock = """
            db/migrations,        db/migrations
            ./db/migrations/,     db/migrations
            db/../db/migrations,  db/migrations
            '  db/migrations ',   db/migrations
            supabase/migrations,  supabase/migrations
            """)
    void dirFlagIsRelativeToTheWorkingDirectoryAndWins(String flag, String expected) throws IOException {
        Files.createDirectories(work.resolve("db/migrations"));
        Files.createDirectories(work.resolve("supabase/migrations"));
        Files.createDirectories(work.resolve("migrations"));

        Settings settings = SettingsResolver.resolve(null, flag, Map.of(), work);

        assertThat(settings.migrationsDir()).isEqualTo(work.resolve(expected));
    }

    @Test
    void dirFlagMayBeAbsolute(@TempDir Path elsewhere) {
        Settings settings = SettingsResolver.resolve(null, elsewhere.toString(), Map.of(), work);

        assertThat(settings.migrationsDir()).isEqualTo(elsewhere);
    }

    @Test
    void dirFlagEmptyCountsAsUnset() throws IOException {
        Files.createDirectories(work.resolve("supabase/migrations"));

        Settings settings = SettingsResolver.resolve(null, "", Map.of(), work);

        assertThat(settings.migrationsDir()).isEqualTo(work.resolve("supabase/migrations"));
    }

    @Test
    void dirFlagPointingNowhereIsAConfigError() {
        PgshiftException e = catchThrowableOfType(PgshiftException.class,
                () -> SettingsResolver.resolve(null, "db/missing", Map.of(), work));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG);
        assertThat(e.getMessage()).contains(work.resolve("db/missing").toString()).contains("does not exist");
    }

    @Test
    void dirFlagPointingAtAFileIsAConfigError() throws IOException {
        Files.writeString(work.resolve("schema.sql"), "select 1;");

        PgshiftException e = catchThrowableOfType(PgshiftException.class,
                () -> SettingsResolver.resolve(null, "schema.sql", Map.of(), work));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG);
        assertThat(e.getMessage()).contains(work.resolve("schema.sql").toString()).contains("is a file");
    }

    @Test
    void settingsCarryTheParsedUrl() {
        Settings settings = SettingsResolver.resolve(
                "postgresql://postgres.abcdefghijkl:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres",
                null, Map.of(), work);

        assertThat(settings.databaseUrl().properties()).containsEntry("prepareThreshold", "0");
        assertThat(settings.toString()).doesNotContain("pw@").contains("postgres.abcdefghijkl:***@");
    }

    private void writeEnvFile(String name, String kind, String host) throws IOException {
        if (kind.equals("none")) {
            return;
        }
        String content = kind.equals("other") ? "OTHER=1\n" : "DATABASE_URL=" + value(kind, host) + "\n";
        Files.writeString(work.resolve(name), "# generated\n" + content);
    }

    private static String value(String kind, String host) {
        return switch (kind) {
            case "url" -> "postgresql://u:pw@" + host + "/app";
            case "empty" -> "";
            case "blank" -> "   ";
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
