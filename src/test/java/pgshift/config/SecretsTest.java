package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretsTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
                Arguments.of("postgres://postgres.abcdefghijkl:p@ss@aws-0-eu-central-1.pooler.supabase.com:6543/postgres",
                        "postgres://postgres.abcdefghijkl:***@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"),
                Arguments.of("mysql://root:toor@db:3306/shop", "mysql://root:***@db:3306/shop"),
                Arguments.of("https://user:token@github.com/acme/app.git", "https://user:***@github.com/acme/app.git"),
                Arguments.of("connection to postgresql://u:pw@h/db failed: timeout",
                        "connection to postgresql://u:***@h/db failed: timeout"),
                Arguments.of("postgresql://u:p?w@h/db?sslmode=require", "postgresql://u:***@h/db?sslmode=require"),
                Arguments.of("postgresql://u:pw@h/db?application_name=a@b", "postgresql://u:***@h/db?application_name=a@b"),
                Arguments.of("jdbc:postgresql://u:pw@h/db", "jdbc:postgresql://u:***@h/db"),
                Arguments.of("jdbc:postgresql://h/db?user=u&password=pw&sslmode=require",
                        "jdbc:postgresql://h/db?user=u&password=***&sslmode=require"),
                Arguments.of("host=h user=u password=pw dbname=d", "host=h user=u password=*** dbname=d"),
                Arguments.of("host=h password = 'p w\\'x' dbname=d", "host=h password=*** dbname=d"),
                Arguments.of("password=\"p \\\"w\" next", "password=*** next"),
                Arguments.of("PGPASSWORD=pw psql -h h", "PGPASSWORD=*** psql -h h"),
                Arguments.of("?sslpassword=keypass&sslmode=require", "?sslpassword=***&sslmode=require"),
                Arguments.of("--database-url postgresql://u:pw@h/db status", "--database-url postgresql://u:***@h/db status"),
                Arguments.of("--database-url=postgresql://u:pw@h/db", "--database-url=postgresql://u:***@h/db"),
                Arguments.of("DATABASE_URL=postgres://u:pw@h/db", "DATABASE_URL=postgres://u:***@h/db"),
                Arguments.of("\\connect 'postgresql://u:pw@h/db'", "\\connect 'postgresql://u:***@h/db'"),
                Arguments.of("u:pw@h:5432/db", "u:***@h:5432/db"),
                Arguments.of("a postgresql://a:one@h/db and postgres://b:two@h/db",
                        "a postgresql://a:***@h/db and postgres://b:***@h/db"),
                Arguments.of("ERROR: relation \"users\" does not exist", "ERROR: relation \"users\" does not exist"),
                Arguments.of("sql --write alter role app with login password 'hunter2'",
                        "sql --write alter role app with login password '***'"),
                Arguments.of("CREATE USER app PASSWORD 'it''s secret' VALID UNTIL 'infinity';",
                        "CREATE USER app PASSWORD '***' VALID UNTIL 'infinity';"),
                Arguments.of("create role r password E'a\\'b' login", "create role r password '***' login"),
                Arguments.of("alter role r password null", "alter role r password null"),
                Arguments.of("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
                Arguments.of("jdbc:postgresql://u@h/db", "jdbc:postgresql://u@h/db"),
                Arguments.of("jdbc:postgresql://localhost:5432/app?sslmode=require",
                        "jdbc:postgresql://localhost:5432/app?sslmode=require"),
                Arguments.of("at 12:30 mail me@example.com", "at 12:30 mail me@example.com"),
                Arguments.of("", ""),
                Arguments.of("postgresql://app:SECRET/host:5432/db", "postgresql://app:***/db"),
                Arguments.of("postgresql://app:SECRET#host:5432/db", "postgresql://app:***/db"),
                Arguments.of("Unmatched argument: 'postgresql://app:SECRET#host/db'", "Unmatched argument: 'postgresql://app:***/db'"),
                Arguments.of("postgresql://app:SECRET", "postgresql://app:***"),
                Arguments.of("jdbc:postgresql://h:SECRET/db", "jdbc:postgresql://h:***/db"),
                Arguments.of("postgresql://h:5432/db and http://localhost:8080/x", "postgresql://h:5432/db and http://localhost:8080/x"),
                Arguments.of("postgresql://h:5432", "postgresql://h:5432"),
                Arguments.of("or jdbc:postgresql://host:port/database with", "or jdbc:postgresql://host:port/database with"),
                Arguments.of("postgresql://user:password@host:port/db", "postgresql://user:***@host:port/db"),
                Arguments.of("postgresql://[::1]:5432/db", "postgresql://[::1]:5432/db"),
                Arguments.of("postgresql://u@[::1]:5432/db", "postgresql://u@[::1]:5432/db"),
                Arguments.of("jdbc:postgresql://localhost:5432/app?sslmode=require", "jdbc:postgresql://localhost:5432/app?sslmode=require"),
                Arguments.of("CREATE ROLE x LOGIN ENCRYPTED PASSWORD 'secret'", "CREATE ROLE x LOGIN ENCRYPTED PASSWORD '***'"),
                Arguments.of("ALTER USER x WITH PASSWORD 'secret'", "ALTER USER x WITH PASSWORD '***'"));
    }

    static Stream<Arguments> urls() {
        return Stream.of(
                Arguments.of("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
                Arguments.of("postgresql://u:p@s?s@h/db?sslmode=require", "postgresql://u:***@h/db?sslmode=require"),
                Arguments.of("postgresql://u:my secret@h/db", "postgresql://u:***@h/db"),
                Arguments.of("postgresql://u:p#w@h/db", "postgresql://u:***@h/db"),
                Arguments.of("postgresql://u:p://w@h/db", "postgresql://u:***@h/db"),
                Arguments.of("postgresql://u:p%40s%23s@h/db", "postgresql://u:***@h/db"),
                Arguments.of("'postgresql://u:my secret@h/db'", "'postgresql://u:***@h/db'"),
                Arguments.of("postgresql://app:SECRET/host:5432/db", "postgresql://app:***/db"),
                Arguments.of("postgresql://app:SE CRET#host:5432/db?sslmode=require", "postgresql://app:***/db?sslmode=require"),
                Arguments.of("postgresql://app:SECRET", "postgresql://app:***"),
                Arguments.of("postgresql://h:5432/db", "postgresql://h:5432/db"),
                Arguments.of("postgresql://[::1]:5432/db", "postgresql://[::1]:5432/db"),
                Arguments.of("jdbc:postgresql://h/db?user=u&password=my secret&ssl=true", "jdbc:postgresql://h/db?user=u&password=***&ssl=true"),
                Arguments.of("jdbc:postgresql://h:5432/db?password=p@w", "jdbc:postgresql://h:5432/db?password=***"),
                Arguments.of("jdbc:postgresql://h/db?sslpassword=k p&password=x", "jdbc:postgresql://h/db?sslpassword=***&password=***"),
                Arguments.of("hunter2secret", "***"),
                Arguments.of("app:secret@h/db", "***"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("urls")
    void masksUrlsWhole(String url, String expected) {
        assertThat(Secrets.maskUrl(url)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("texts")
    void masksPasswords(String text, String expected) {
        assertThat(Secrets.mask(text)).isEqualTo(expected);
    }

    @Test
    void nullStaysNull() {
        assertThat(Secrets.mask(null)).isNull();
    }

    @Test
    void maskingTwiceChangesNothing() {
        String once = Secrets.mask("postgresql://u:pw@h/db?sslpassword=x password='y'");

        assertThat(Secrets.mask(once)).isEqualTo(once);
    }
}
