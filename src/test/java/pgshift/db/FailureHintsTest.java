package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.db.FailureHints.Setting;

class FailureHintsTest {

    @Test
    void aStatementTimeoutSetForTheRoleNamesTheRoleAndBothWaysOut() {
        Setting setting = new Setting("statement_timeout", "5s", "user", "app", "shop");
        assertThat(FailureHints.hint("57014", "canceling statement due to statement timeout", setting)).isEqualTo(
                "The statement ran into statement_timeout (5s, set for role app; see pg_db_role_setting). Migrations often "
                        + "run longer than the app's queries: raise it for migrations: ALTER ROLE app SET statement_timeout = "
                        + "'15min' (new sessions), or put SET statement_timeout = 0 at the top of the file.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "database           | (8s, set for database Shop; see pg_db_role_setting) | ALTER DATABASE \"Shop\" SET statement_timeout",
            "database user      | (8s, set for role app in database Shop;             | ALTER ROLE app IN DATABASE \"Shop\" SET statement_timeout",
            "configuration file | (8s, set in the server's configuration file)        | ALTER ROLE app SET statement_timeout",
            "client             | (8s, set by the connection: the options parameter   | ALTER ROLE app SET statement_timeout",
            "session            | (8s, set in the session with SET statement_timeout) | ALTER ROLE app SET statement_timeout",
    })
    void theHintSaysWhereTheTimeoutComesFrom(String source, String where, String alter) {
        Setting setting = new Setting("statement_timeout", "8s", source, "app", "Shop");
        assertThat(FailureHints.hint("57014", "canceling statement due to statement timeout", setting))
                .contains("statement_timeout " + where).contains(alter);
    }

    @Test
    void withoutTheSettingTheHintStillNamesIt() {
        assertThat(FailureHints.hint("57014", "canceling statement due to statement timeout", null))
                .startsWith("The statement ran into statement_timeout. Migrations")
                .contains("ALTER ROLE <migration role> SET statement_timeout");
    }

    @Test
    void aLockTimeoutNamesLockTimeout() {
        Setting setting = new Setting("lock_timeout", "2s", "database", "app", "shop");
        assertThat(FailureHints.hint("55P03", "canceling statement due to lock timeout", setting))
                .startsWith("The statement waited longer than lock_timeout (2s, set for database shop; see pg_db_role_setting) "
                        + "for a lock another session holds")
                .contains("SET lock_timeout = '30s' at the top of the file");
    }

    @Test
    void aCommitInsideAProcedureAsksForANoTransactionFile() {
        assertThat(FailureHints.hint("2D000", "invalid transaction termination", null))
                .endsWith("put -- pgshift:no-transaction on its first line.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "57014 | canceling statement due to user request",
            "55P03 | could not obtain lock on row in relation \"t\"",
            "25001 | CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
            "55P04 | unsafe use of new value \"x\" of enum type e",
            "42P01 | relation \"t\" does not exist",
            "null  | I/O error",
    })
    void otherErrorsGetNoHint(String state, String message) {
        assertThat(FailureHints.hint(state, message, new Setting("statement_timeout", "5s", "user", "app", "db"))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0A000 | extension \"vector\" is not available                                                                      | vector",
            "58P01 | could not open extension control file \"/usr/share/postgresql/14/extension/pg_net.control\": No such file or directory | pg_net",
            "0A000 | extension \"pg_cron\" is not available                                                                     | pg_cron",
    })
    void aMissingExtensionNamesItAndSaysWhereToFindAServerWithIt(String state, String message, String extension) {
        assertThat(FailureHints.hint(state, message, null))
                .startsWith("This PostgreSQL server does not have the extension " + extension + " installed")
                .contains("Point DATABASE_URL at a server that has " + extension)
                .contains("supabase start").contains("DATABASE_URL (postgresql://postgres@127.0.0.1:54322/postgres, with the password supabase status shows)")
                .doesNotContain("\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0A000 | cannot use an extension here",
            "58P01 | could not open file \"base/1/2\": No such file or directory",
            "42704 | extension \"vector\" is not available",
    })
    void otherErrorsWithTheseStatesGetNoExtensionHint(String state, String message) {
        assertThat(FailureHints.missingExtension(state, message)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"42P07", "42710", "42701", "42723"})
    void anObjectThatAlreadyExistsPointsToVerify(String sqlState) {
        assertThat(FailureHints.alreadyExists(sqlState, "20240101")).contains("run verify 20240101 to see")
                .contains("mark-applied 20240101 records it").doesNotContain("pgshift ");
    }

    @Test
    void otherErrorsGetNoVerifyHint() {
        assertThat(FailureHints.alreadyExists("42P01", "2")).isNull();
        assertThat(FailureHints.alreadyExists("42P07", null)).isNull();
    }
}
