package pgshift.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import pgshift.failure.PgshiftException;

/**
 * A parsed connection target that turns libpq and JDBC URLs into what pgjdbc accepts, and never
 * shows its password.
 *
 * @param host       host name or IP literal, IPv6 without brackets
 * @param port       TCP port
 * @param database   database name
 * @param user       user name
 * @param password   password, or null when the server or a password file does not need one
 * @param properties further pgjdbc connection properties, in the order they were given
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
                          Map<String, String> properties) {

    /** Seconds a connection attempt may take when the URL does not say (connect_timeout or loginTimeout). */
    public static final int DEFAULT_LOGIN_TIMEOUT_SECONDS = 10;
    /* pgjdbc's own default for the TCP handshake, set explicitly so that a driver update cannot change it. */
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    static final String LOGIN_TIMEOUT = "loginTimeout";
    static final String CONNECT_TIMEOUT = "connectTimeout";

    private static final Pattern LOOPBACK_IPV4 =
            Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public DatabaseUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65535) {
            throw PgshiftException.config("The database port " + port + " is not a number from 1 to 65535; "
                    + "PostgreSQL listens on 5432 unless configured otherwise.");
        }
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Parses {@code postgresql://}, {@code postgres://} and {@code jdbc:postgresql://} URLs.
     *
     * @throws PgshiftException (config) with the accepted forms and the masked input
     */
    public static DatabaseUrl parse(String url) {
        return DatabaseUrlParser.parse(url, null);
    }

    /** The URL pgjdbc connects to, without credentials or parameters; they are in {@link #connectionProperties()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + address() + "/" + PercentCoding.encode(database, "");
    }

    /**
     * User, password and every other property, ready for {@code DriverManager} or a pool; login and
     * TCP connect timeouts of {@value #DEFAULT_LOGIN_TIMEOUT_SECONDS} s unless the URL sets them.
     */
    public Properties connectionProperties() {
        Properties result = new Properties();
        result.setProperty("user", user);
        if (password != null) {
            result.setProperty("password", password);
        }
        properties.forEach(result::setProperty);
        // pgjdbc's connectTimeout covers only the TCP handshake and it has no login timeout by default,
        // so a server (or a proxy) that accepts and never answers would hang every command forever.
        // socketTimeout stays unset: it would also end a migration that legitimately runs for hours.
        result.putIfAbsent(LOGIN_TIMEOUT, String.valueOf(DEFAULT_LOGIN_TIMEOUT_SECONDS));
        result.putIfAbsent(CONNECT_TIMEOUT, String.valueOf(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        return result;
    }

    /** How many seconds a connection attempt may take in all before it fails; 0 is no limit. */
    public int loginTimeoutSeconds() {
        return seconds(connectionProperties().getProperty(LOGIN_TIMEOUT), DEFAULT_LOGIN_TIMEOUT_SECONDS);
    }

    /** How many seconds the TCP handshake may take; 0 is no limit. */
    public int connectTimeoutSeconds() {
        return seconds(connectionProperties().getProperty(CONNECT_TIMEOUT), DEFAULT_CONNECT_TIMEOUT_SECONDS);
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A {@code postgresql://} URL for messages and logs: the password and secret parameters are {@value Secrets#MASK}. */
    public String masked() {
        String credentials = PercentCoding.encode(user, "") + (password == null ? "" : ":" + Secrets.MASK);
        String query = properties.entrySet().stream()
                .map(e -> PercentCoding.encode(e.getKey(), "") + "="
                        + (Secrets.isSecretName(e.getKey()) ? Secrets.MASK : PercentCoding.encode(e.getValue(), "/:,")))
                .collect(Collectors.joining("&"));
        return "postgresql://" + credentials + "@" + address() + "/" + PercentCoding.encode(database, "")
                + (query.isEmpty() ? "" : "?" + query);
    }

    /** {@code user@host:port/db}, short enough for a shell prompt. */
    public String target() {
        return user + "@" + address() + "/" + database;
    }

    /**
     * Whether the host is this machine, judged from its text alone: a DNS lookup could hang or be
     * answered differently by the server's resolver.
     */
    public boolean isLocal() {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost")
                || LOOPBACK_IPV4.matcher(name).matches()
                || name.equals("::1")
                || name.equals("0:0:0:0:0:0:0:1")
                || (name.startsWith("::ffff:") && LOOPBACK_IPV4.matcher(name.substring(7)).matches());
    }

    /** The same server and credentials, another database. */
    public DatabaseUrl withDatabase(String db) {
        if (db == null || db.isBlank()) {
            throw PgshiftException.config("A database name is required; pass the name of an existing database.");
        }
        return new DatabaseUrl(host, port, db, user, password, properties);
    }

    /** The masked form, so that logging a record never prints its password. */
    @Override
    public String toString() {
        return masked();
    }

    private static int seconds(String value, int fallback) {
        try {
            // pgjdbc reads its timeouts as decimal numbers of seconds.
            return value == null ? fallback : (int) Math.max(0, Math.ceil(Double.parseDouble(value.strip())));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
