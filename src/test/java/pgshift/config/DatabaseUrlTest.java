package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import pgshift.failure.PgshiftException;

class DatabaseUrlTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # input | jdbcUrl | user | password | properties (k=v;k=v) | masked | local
            postgresql://alice:secret@db.example.com:5433/shop | jdbc:postgresql://db.example.com:5433/shop | alice | secret | | postgresql://alice:***@db.example.com:5433/shop | false
            postgres://alice:secret@db.example.com/shop | jdbc:postgresql://db.example.com:5432/shop | alice | secret | | postgresql://alice:***@db.example.com:5432/shop | false
            POSTGRESQL://alice@DB.example.com/shop | jdbc:postgresql://DB.example.com:5432/shop | alice | | | postgresql://alice@DB.example.com:5432/shop | false
            postgresql://bob:p%40ss%3Aw%2Fd@localhost/app | jdbc:postgresql://localhost:5432/app | bob | p@ss:w/d | | postgresql://bob:***@localhost:5432/app | true
            postgresql://bob:p%23%25%3F%20x@localhost/app | jdbc:postgresql://localhost:5432/app | bob | p#%? x | | postgresql://bob:***@localhost:5432/app | true
            postgresql://bob:p@ss@localhost/app | jdbc:postgresql://localhost:5432/app | bob | p@ss | | postgresql://bob:***@localhost:5432/app | true
            postgresql://bob:pa/ss@localhost/app | jdbc:postgresql://localhost:5432/app | bob | pa/ss | | postgresql://bob:***@localhost:5432/app | true
            postgresql://u:a+b@localhost/app | jdbc:postgresql://localhost:5432/app | u | a+b | | postgresql://u:***@localhost:5432/app | true
            postgresql://u:p%C3%A4ss@localhost/app | jdbc:postgresql://localhost:5432/app | u | päss | | postgresql://u:***@localhost:5432/app | true
            postgresql://u:@localhost/app | jdbc:postgresql://localhost:5432/app | u | | | postgresql://u@localhost:5432/app | true
            postgresql://postgres.abcdefghijkl:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require | jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:6543/postgres | postgres.abcdefghijkl | secret | sslmode=require;prepareThreshold=0 | postgresql://postgres.abcdefghijkl:***@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require&prepareThreshold=0 | false
            postgresql://postgres.abcdefghijkl:secret@aws-0-eu-central-1.pooler.supabase.com:5432/postgres | jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:5432/postgres | postgres.abcdefghijkl | secret | prepareThreshold=0 | postgresql://postgres.abcdefghijkl:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?prepareThreshold=0 | false
            postgresql://postgres:secret@db.abcdefghijkl.supabase.co:5432/postgres?sslmode=require | jdbc:postgresql://db.abcdefghijkl.supabase.co:5432/postgres | postgres | secret | sslmode=require | postgresql://postgres:***@db.abcdefghijkl.supabase.co:5432/postgres?sslmode=require | false
            postgresql://app:secret@pgbouncer.internal:6543/app | jdbc:postgresql://pgbouncer.internal:6543/app | app | secret | prepareThreshold=0 | postgresql://app:***@pgbouncer.internal:6543/app?prepareThreshold=0 | false
            postgresql://app:secret@pgbouncer.internal:6543/app?prepareThreshold=5 | jdbc:postgresql://pgbouncer.internal:6543/app | app | secret | prepareThreshold=5 | postgresql://app:***@pgbouncer.internal:6543/app?prepareThreshold=5 | false
            postgresql:// | jdbc:postgresql://localhost:5432/postgres | postgres | | | postgresql://postgres@localhost:5432/postgres | true
            postgresql:///mydb | jdbc:postgresql://localhost:5432/mydb | postgres | | | postgresql://postgres@localhost:5432/mydb | true
            postgresql://carol@localhost | jdbc:postgresql://localhost:5432/carol | carol | | | postgresql://carol@localhost:5432/carol | true
            postgresql://localhost:5433 | jdbc:postgresql://localhost:5433/postgres | postgres | | | postgresql://postgres@localhost:5433/postgres | true
            postgresql://[::1]:5433/app | jdbc:postgresql://[::1]:5433/app | postgres | | | postgresql://postgres@[::1]:5433/app | true
            postgresql://u:secret@[2001:db8::5]/app | jdbc:postgresql://[2001:db8::5]:5432/app | u | secret | | postgresql://u:***@[2001:db8::5]:5432/app | false
            postgresql://u@127.8.0.1/app | jdbc:postgresql://127.8.0.1:5432/app | u | | | postgresql://u@127.8.0.1:5432/app | true
            postgresql://u@localhost.example.com/app | jdbc:postgresql://localhost.example.com:5432/app | u | | | postgresql://u@localhost.example.com:5432/app | false
            postgresql://u@localhost/app?options=-c%20search_path%3Dapp | jdbc:postgresql://localhost:5432/app | u | | options=-c search_path=app | postgresql://u@localhost:5432/app?options=-c%20search_path%3Dapp | true
            postgresql://u@localhost/app?application_name=pgshift%20dev | jdbc:postgresql://localhost:5432/app | u | | ApplicationName=pgshift dev | postgresql://u@localhost:5432/app?ApplicationName=pgshift%20dev | true
            postgresql://u@db.example.com/app?connect_timeout=10&sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem | jdbc:postgresql://db.example.com:5432/app | u | | connectTimeout=10;loginTimeout=10;sslmode=verify-full;sslrootcert=/etc/ssl/ca.pem | postgresql://u@db.example.com:5432/app?connectTimeout=10&loginTimeout=10&sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem | false
            postgresql://u@db.example.com/app?target_session_attrs=read-write&sslpassword=keypass | jdbc:postgresql://db.example.com:5432/app | u | | target_session_attrs=read-write;sslpassword=keypass | postgresql://u@db.example.com:5432/app?target_session_attrs=read-write&sslpassword=*** | false
            postgresql://localhost/app?user=dave&password=pw | jdbc:postgresql://localhost:5432/app | dave | pw | | postgresql://dave:***@localhost:5432/app | true
            postgresql:///ignored?host=db.internal&port=6000&dbname=real | jdbc:postgresql://db.internal:6000/real | postgres | | | postgresql://postgres@db.internal:6000/real | false
            postgresql://u@localhost/my%20db | jdbc:postgresql://localhost:5432/my%20db | u | | | postgresql://u@localhost:5432/my%20db | true
            jdbc:postgresql://db.example.com:5433/shop?user=alice&password=s3cr%26t&sslmode=require | jdbc:postgresql://db.example.com:5433/shop | alice | s3cr&t | sslmode=require | postgresql://alice:***@db.example.com:5433/shop?sslmode=require | false
            jdbc:postgresql://localhost/app?user=u&password=a+b | jdbc:postgresql://localhost:5432/app | u | a b | | postgresql://u:***@localhost:5432/app | true
            jdbc:postgresql://localhost/app?ApplicationName=pgshift&prepareThreshold=0 | jdbc:postgresql://localhost:5432/app | postgres | | ApplicationName=pgshift;prepareThreshold=0 | postgresql://postgres@localhost:5432/app?ApplicationName=pgshift&prepareThreshold=0 | true
            jdbc:postgresql://[::1]/app?user=u | jdbc:postgresql://[::1]:5432/app | u | | | postgresql://u@[::1]:5432/app | true
            '  postgresql://u@127.0.0.1:5433/app?ssl=true  ' | jdbc:postgresql://127.0.0.1:5433/app | u | | ssl=true | postgresql://u@127.0.0.1:5433/app?ssl=true | true
            """)
    void parsesAcceptedForms(String input, String jdbcUrl, String user, String password, String properties,
                             String masked, boolean local) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(url.user()).isEqualTo(user);
        assertThat(url.password()).isEqualTo(password);
        assertThat(url.properties()).containsExactlyEntriesOf(properties(properties));
        assertThat(url.masked()).isEqualTo(masked);
        assertThat(url.toString()).isEqualTo(masked);
        assertThat(url.isLocal()).isEqualTo(local);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            postgresql://alice:secret@db.example.com:5433/shop | alice@db.example.com:5433/shop
            postgresql://u@[::1]/my%20db                     | u@[::1]:5432/my db
            postgres://                                        | postgres@localhost:5432/postgres
            """)
    void targetIsShortAndHasNoPassword(String input, String target) {
        assertThat(DatabaseUrl.parse(input).target()).isEqualTo(target);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"localhost", "LocalHost", "127.0.0.1", "127.8.0.1", "127.255.255.254", "::1", "[::1]",
            "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"})
    void loopbackHostsAreLocal(String host) {
        assertThat(new DatabaseUrl(host, 5432, "db", "u", null, Map.of()).isLocal()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"localhost.example.com", "mylocalhost", "128.0.0.1", "127.0.0.256", "127.0.0",
            "127.0.0.1.nip.io", "10.0.0.1", "::2", "db", "aws-0-eu-central-1.pooler.supabase.com"})
    void otherHostsAreNotLocal(String host) {
        assertThat(new DatabaseUrl(host, 5432, "db", "u", null, Map.of()).isLocal()).isFalse();
    }

    @Test
    void connectionPropertiesCarryCredentialsAndParameters() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:p%40ss@db.example.com/shop"
                + "?sslmode=require&application_name=pgshift");

        Properties expected = new Properties();
        expected.setProperty("user", "alice");
        expected.setProperty("password", "p@ss");
        expected.setProperty("sslmode", "require");
        expected.setProperty("ApplicationName", "pgshift");
        expected.setProperty("loginTimeout", "10");
        expected.setProperty("connectTimeout", "10");
        assertThat(url.connectionProperties()).isEqualTo(expected);
        assertThat(url.jdbcUrl()).doesNotContain("alice", "p@ss", "sslmode");
    }

    @Test
    void connectionPropertiesOmitAMissingPassword() {
        Properties properties = DatabaseUrl.parse("postgresql://alice@localhost/shop").connectionProperties();

        assertThat(properties).containsOnlyKeys("user", "loginTimeout", "connectTimeout");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                                                          | loginTimeout | connectTimeout
            postgresql://u@db.invalid/app                                    | 10 | 10
            postgresql://u@db.invalid/app?connect_timeout=2                  | 2  | 2
            postgresql://u@db.invalid/app?connect_timeout=%2030              | 30 | 30
            postgresql://u@db.invalid/app?connect_timeout=0                  | 0  | 0
            postgresql://u@db.invalid/app?connect_timeout=-5                 | 0  | 0
            jdbc:postgresql://db.invalid/app?loginTimeout=25                 | 25 | 10
            jdbc:postgresql://db.invalid/app?connectTimeout=3                | 10 | 3
            jdbc:postgresql://db.invalid/app?loginTimeout=4&connectTimeout=3 | 4  | 3
            jdbc:postgresql://db.invalid/app?connect_timeout=6               | 6  | 6
            """)
    void connectionsHaveALoginTimeoutUnlessTheUrlSetsIt(String input, String login, String connect) {
        DatabaseUrl url = DatabaseUrl.parse(input);
        Properties properties = url.connectionProperties();

        assertThat(properties.getProperty("loginTimeout")).isEqualTo(login);
        assertThat(properties.getProperty("connectTimeout")).isEqualTo(connect);
        assertThat(properties).doesNotContainKey("socketTimeout");
        assertThat(url.loginTimeoutSeconds()).isEqualTo(Integer.parseInt(login));
        assertThat(url.connectTimeoutSeconds()).isEqualTo(Integer.parseInt(connect));
    }

    @Test
    void withDatabaseKeepsServerAndCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:secret@db.example.com:6543/shop?sslmode=require");

        DatabaseUrl other = url.withDatabase("scratch");

        assertThat(other).isEqualTo(new DatabaseUrl("db.example.com", 6543, "scratch", "alice", "secret",
                Map.of("sslmode", "require", "prepareThreshold", "0")));
        assertThat(url.database()).isEqualTo("shop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void withDatabaseRejectsABlankName(String name) {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://localhost/shop");

        assertThatThrownBy(() -> url.withDatabase(name))
                .isInstanceOfSatisfying(PgshiftException.class,
                        e -> assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG));
    }

    @Test
    void propertiesCannotBeChangedAfterParsing() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://localhost/shop?sslmode=require");

        assertThatThrownBy(() -> url.properties().put("sslmode", "disable"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void constructorRejectsAPortOutOfRange() {
        assertThatThrownBy(() -> new DatabaseUrl("localhost", 0, "db", "u", null, Map.of()))
                .isInstanceOf(PgshiftException.class)
                .hasMessageContaining("1 to 65535");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                  | it is empty
            '   '                                               | it is empty
            mysql://u:secret@localhost/db                       | does not start with postgresql://
            jdbc:mysql://localhost/db                           | does not start with postgresql://
            https://db.example.com/db                           | does not start with postgresql://
            localhost                                           | does not start with postgresql://
            postgresql:/localhost/db                            | does not start with postgresql://
            postgresql://u:secret@localhost:abc/db              | port must be a number from 1 to 65535
            postgresql://u:secret@localhost:70000/db            | port must be a number from 1 to 65535
            postgresql://u:secret@localhost:0/db                | port must be a number from 1 to 65535
            postgresql://localhost/db?port=-1                   | port must be a number from 1 to 65535
            postgresql://u:sec%zzret@localhost/db               | valid UTF-8 escape
            postgresql://u:secret%@localhost/db                 | valid UTF-8 escape
            postgresql://u:%C3secret@localhost/db               | valid UTF-8 escape
            postgresql://u:secret@[::1/db                       | no closing ']'
            postgresql://u:secret@[::1]x/db                     | only ':port' may follow
            postgresql://u:secret@::1/db                        | must be written in brackets
            postgresql://h1:5432,h2:5432/db                     | several hosts
            postgresql://localhost/db?sslmode                   | must look like name=value
            postgresql://localhost/db?=x                        | must look like name=value
            postgresql://localhost/db?connect_timeout=soon      | connect_timeout must be a whole number of seconds
            postgresql://localhost/db?connect_timeout=2.5       | connect_timeout must be a whole number of seconds
            postgresql://localhost/db?connect_timeout=          | connect_timeout must be a whole number of seconds
            """)
    void rejectsOtherForms(String input, String reason) {
        PgshiftException e = catchThrowableOfType(PgshiftException.class, () -> DatabaseUrl.parse(input));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG);
        assertThat(e.getMessage())
                .contains(reason)
                .contains("postgresql://user:password@host:port/database")
                .contains("jdbc:postgresql://host:port/database")
                .doesNotContain("\n")
                .doesNotContain("secret");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> DatabaseUrl.parse(null))
                .isInstanceOf(PgshiftException.class)
                .hasMessageContaining("it is empty");
    }

    @Test
    void errorsShowTheMaskedInput() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:secret@db:3306/shop"))
                .hasMessageContaining("'mysql://root:***@db:3306/shop'");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "postgresql:///db?host=/var/run/postgresql",
            "postgresql://u:secret@%2Fvar%2Frun%2Fpostgresql/db",
            "jdbc:postgresql://localhost/db?host=/tmp&password=secret",
            "postgresql:///db?host=@abstract"})
    void rejectsUnixSockets(String input) {
        assertThatThrownBy(() -> DatabaseUrl.parse(input))
                .isInstanceOfSatisfying(PgshiftException.class,
                        e -> assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG))
                .hasMessageContaining("Unix-domain socket")
                .hasMessageContaining("JDBC driver")
                .hasMessageContaining("host=localhost")
                .message().doesNotContain("secret");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "postgresql://u:Hunter2Secret@h/db",
            "postgres://u:Hunter2Secret%40x@h:6543/db",
            "postgresql://u:Hunter2Secret@x@h/db",
            "postgresql://u@h/db?password=Hunter2Secret",
            "postgresql://u@h/db?sslpassword=Hunter2Secret",
            "jdbc:postgresql://h/db?password=Hunter2Secret&user=u",
            "jdbc:postgresql://h/db?user=u&password=Hunter2Secret"})
    void parsedUrlsNeverShowThePassword(String input) {
        DatabaseUrl url = DatabaseUrl.parse(input);

        assertThat(url.password() == null ? url.properties().toString() : url.password()).contains("Hunter2Secret");
        assertThat(Arrays.asList(url.masked(), url.toString(), url.jdbcUrl(), url.target()))
                .allSatisfy(shown -> assertThat(shown).doesNotContain("Hunter"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "mysql://u:Hunter2Secret@h/db",
            "postgresql://u:Hunter2Secret@h:notaport/db",
            "postgresql://u:Hunter2Secret@h:99999/db",
            "postgresql://u:Hunter2Secret%zz@h/db",
            "postgresql://u:Hunter2Secret@[::1/db",
            "postgresql://u:Hunter2Secret@h1,h2/db",
            "postgresql://u:Hunter2Secret@h/db?sslmode",
            "postgresql://u:Hunter2Secret@h/db?host=/tmp",
            "postgresql://u:Hunter2?Secret@h/db",
            "postgresql://u:Hunter 2Secret@h:bad/db",
            "postgresql//u:Hunter2Secret@h/db",
            "u:Hunter2Secret@h/db",
            "jdbc:postgresql://h:bad/db?password=Hunter2Secret",
            "jdbc:postgresql://h:bad/db?user=u&password=Hunter2Secret&sslmode=require"})
    void errorsNeverShowThePassword(String input) {
        PgshiftException e = catchThrowableOfType(PgshiftException.class, () -> DatabaseUrl.parse(input));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("Hunter").doesNotContain("2Secret");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # input                                                   | shown (null: not shown at all)                     | reason
            postgresql://app:SECRETpw/host:5432/db                    | 'postgresql://app:***/db'                           | the '@' between it and the host is missing
            postgresql://app:SECRETpw#host:5432/db                    | 'postgresql://app:***/db'                           | the '@' between it and the host is missing
            postgresql://app:SECRETpw#host:5432/db?sslmode=require    | 'postgresql://app:***/db?sslmode=require'           | the '@' between it and the host is missing
            postgresql://app:SECRETpw                                 | 'postgresql://app:***'                              | the '@' between it and the host is missing
            postgresql://app:SECRET pw/host/db                        | 'postgresql://app:***/db'                           | the '@' between it and the host is missing
            postgres://app:SEC%52ETpw%40/host/db                      | 'postgres://app:***/db'                             | the '@' between it and the host is missing
            postgresql://app:SECRETpw@host:5432/db?sslmode            | 'postgresql://app:***@host:5432/db?sslmode'         | must look like name=value
            postgresql://app:SECRET?pw@host:port/db                   | 'postgresql://app:***@host:port/db'                 | the '@' between it and the host is missing
            postgresql://app:SECRET pw@host:port/db                   | 'postgresql://app:***@host:port/db'                 | port must be a number
            postgresql://app:SECRET#pw@host:port/db                   | 'postgresql://app:***@host:port/db'                 | port must be a number
            postgresql://app:SECRET%zzpw@host/db                      | 'postgresql://app:***@host/db'                      | valid UTF-8 escape
            postgresql://app:SECRET@pw@host:port/db?x=a@b             | 'postgresql://app:***@b'                            | port must be a number
            jdbc:postgresql://host:port/db?user=app&password=SECRETpw | 'jdbc:postgresql://host:***/db?user=app&password=***' | port must be a number
            jdbc:postgresql://host:port/db?password=SECRET pw&user=a  | 'jdbc:postgresql://host:***/db?password=***&user=a'   | port must be a number
            jdbc:postgresql://host/db?password=SECRET@pw&ssl          | 'jdbc:postgresql://host/db?password=***&ssl'        | must look like name=value
            jdbc:postgresql://host/db?password=SECRET%zz              | 'jdbc:postgresql://host/db?password=***'            | valid UTF-8 escape
            SECRETpw                                                  |                                                     | does not start with postgresql://
            SECRET:pw@host/db                                         |                                                     | does not start with postgresql://
            postgresql:/app:SECRETpw@host/db                          |                                                     | does not start with postgresql://
            `  SECRETpw  `                                            |                                                     | does not start with postgresql://
            """)
    void malformedUrlsAreShownMaskedWithWhatIsWrong(String input, String shown, String reason) {
        PgshiftException e = catchThrowableOfType(PgshiftException.class,
                () -> DatabaseUrlParser.parse(input, "DATABASE_URL (environment)"));

        assertThat(e).as(input).isNotNull();
        String message = e.getMessage();
        assertThat(message).doesNotContain("SECRET").doesNotContain("pw").contains(reason)
                .startsWith("Cannot use the database URL from DATABASE_URL (environment) "
                        + (shown == null ? "(not shown: without a scheme like postgresql:// it may be a password): "
                        : shown + ": "))
                .contains("postgresql://user:password@host:port/database");
    }

    private static Map<String, String> properties(String spec) {
        Map<String, String> result = new LinkedHashMap<>();
        if (spec != null) {
            for (String pair : spec.split(";")) {
                int eq = pair.indexOf('=');
                result.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return result;
    }
}
