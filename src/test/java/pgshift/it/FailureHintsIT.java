package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import pgshift.config.DatabaseUrl;
import pgshift.db.FailureHints;
import pgshift.testing.TestPostgres;

/** The hint after a statement timeout names the setting, its value and the role it is set for. */
class FailureHintsIT {

    @Test
    void aRolesStatementTimeoutIsNamedWithTheRole() throws Exception {
        DatabaseUrl admin = TestPostgres.freshDatabase("hint_timeout");
        String role = admin.database() + "_app";
        try (Connection c = TestPostgres.connect(admin); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app-secret'");
            st.execute("ALTER ROLE " + role + " SET statement_timeout = '200ms'");
        }
        DatabaseUrl asRole = new DatabaseUrl(admin.host(), admin.port(), admin.database(), role, "app-secret", admin.properties());
        try (Connection conn = TestPostgres.connect(asRole)) {
            SQLException error = catchThrowableOfType(() -> {
                try (Statement st = conn.createStatement()) {
                    st.execute("select pg_sleep(1)");
                }
            }, SQLException.class);
            assertThat(error.getSQLState()).isEqualTo("57014");

            assertThat(FailureHints.hint(error, conn))
                    .startsWith("The statement ran into statement_timeout (200ms, set for role " + role + "; see pg_db_role_setting).")
                    .contains("ALTER ROLE " + role + " SET statement_timeout = '15min' (new sessions)")
                    .contains("SET statement_timeout = 0 at the top of the file");

            conn.setAutoCommit(false);
            SQLException inTransaction = catchThrowableOfType(() -> {
                try (Statement st = conn.createStatement()) {
                    st.execute("select pg_sleep(1)");
                }
            }, SQLException.class);
            assertThat(FailureHints.hint(inTransaction, conn)).as("the aborted transaction hides the setting")
                    .startsWith("The statement ran into statement_timeout. Migrations");
            conn.rollback();
            assertThat(FailureHints.hint(inTransaction, conn)).contains("(200ms, set for role " + role);
        } finally {
            try (Connection c = TestPostgres.connect(admin); Statement st = c.createStatement()) {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }
}
