package pgshift.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pgshift.failure.PgshiftException;

/** Reads one libpq URI or pgjdbc URL into a {@link DatabaseUrl}, applying libpq's defaults. */
final class DatabaseUrlParser {

    static final int DEFAULT_PORT = 5432;
    static final String DEFAULT_USER = "postgres";

    private static final String ACCEPTED_FORMS = "Use postgresql://user:password@host:port/database"
            + "?sslmode=require (postgres:// works too) or jdbc:postgresql://host:port/database with user and "
            + "password as query parameters, "
            + "and percent-encode special characters in the user name and password "
            + "(@ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25).";

    /* libpq spells some parameters differently from pgjdbc; sslmode, options, sslrootcert are the same in both. */
    private static final Map<String, String> PGJDBC_NAMES = Map.of("application_name", "ApplicationName");

    private final String input;
    private final String origin;
    private String host;
    private Integer port;
    private String database;
    private String user;
    private String password;
    private boolean atMayBeMissing;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private DatabaseUrlParser(String input, String origin) {
        this.input = input;
        this.origin = origin;
    }

    /** Parses {@code url}; {@code origin} (like "DATABASE_URL in .env"), if not null, is named in errors. */
    static DatabaseUrl parse(String url, String origin) {
        return new DatabaseUrlParser(url, origin).parse();
    }

    private DatabaseUrl parse() {
        if (input == null || input.isBlank()) {
            throw invalid("it is empty");
        }
        String text = input.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean jdbc = lower.startsWith("jdbc:postgresql://");
        String rest;
        if (jdbc) {
            rest = text.substring("jdbc:postgresql://".length());
        } else if (lower.startsWith("postgresql://")) {
            rest = text.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = text.substring("postgres://".length());
        } else {
            throw invalid("it does not start with postgresql://, postgres:// or jdbc:postgresql://");
        }
        int queryStart = rest.indexOf('?');
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        // The last '@' ends the user info: unencoded passwords often contain '@', host names never do.
        int at = beforeQuery.lastIndexOf('@');
        if (at >= 0) {
            readUserInfo(beforeQuery.substring(0, at));
        }
        // Only a libpq URI takes user:password before the host; pgjdbc wants them in the query.
        atMayBeMissing = at < 0 && !jdbc;
        String location = beforeQuery.substring(at + 1);
        int slash = location.indexOf('/');
        readHostAndPort(slash < 0 ? location : location.substring(0, slash));
        if (slash >= 0 && slash + 1 < location.length()) {
            database = decode(location.substring(slash + 1), false);
        }
        if (queryStart >= 0) {
            readQuery(rest.substring(queryStart + 1), jdbc);
        }
        return build();
    }

    private void readUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        String name = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), false);
        user = name.isEmpty() ? null : name;
        if (colon >= 0) {
            String secret = decode(userInfo.substring(colon + 1), false);
            password = secret.isEmpty() ? null : secret;
        }
    }

    private void readHostAndPort(String hostAndPort) {
        if (hostAndPort.indexOf(',') >= 0) {
            throw invalid("it names several hosts, and pgshift connects to exactly one");
        }
        String hostText = hostAndPort;
        String portText = null;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            if (close < 0) {
                throw invalid("the IPv6 address has no closing ']'");
            }
            hostText = hostAndPort.substring(1, close);
            String after = hostAndPort.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid("only ':port' may follow an IPv6 address in brackets");
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = hostAndPort.indexOf(':');
            if (colon >= 0 && atMayBeMissing && !hostAndPort.substring(colon + 1).matches("\\d*")) {
                throw invalid("what follows the ':' after the host is not a port number; if it is a password, "
                        + "the '@' between it and the host is missing");
            }
            if (colon >= 0 && hostAndPort.indexOf(':', colon + 1) >= 0) {
                throw invalid("an IPv6 address must be written in brackets, like [::1]:5432");
            }
            if (colon >= 0) {
                hostText = hostAndPort.substring(0, colon);
                portText = hostAndPort.substring(colon + 1);
            }
        }
        setHost(decode(hostText, false));
        setPort(portText);
    }

    private void readQuery(String query, boolean jdbc) {
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw invalid("every query parameter must look like name=value");
            }
            // pgjdbc reads its query with URLDecoder ('+' is a space); libpq keeps '+'.
            applyParameter(decode(pair.substring(0, eq), jdbc), decode(pair.substring(eq + 1), jdbc));
        }
    }

    private void applyParameter(String name, String value) {
        switch (name) {
            case "user" -> user = value.isEmpty() ? user : value;
            case "password" -> password = value.isEmpty() ? null : value;
            case "host" -> setHost(value);
            case "port" -> setPort(value);
            case "dbname" -> database = value.isEmpty() ? database : value;
            case "connect_timeout" -> setConnectTimeout(value);
            default -> properties.put(PGJDBC_NAMES.getOrDefault(name, name), value);
        }
    }

    /**
     * libpq's connect_timeout bounds the whole attempt, login included: pgjdbc needs it twice, as
     * the TCP handshake's bound and as the login's. Zero or less waits forever, as in libpq.
     */
    private void setConnectTimeout(String value) {
        String seconds = value.strip();
        if (!seconds.matches("-?\\d{1,9}")) {
            throw invalid("connect_timeout must be a whole number of seconds (0 waits forever)");
        }
        String bound = String.valueOf(Math.max(0, Integer.parseInt(seconds)));
        properties.put(DatabaseUrl.CONNECT_TIMEOUT, bound);
        properties.put(DatabaseUrl.LOGIN_TIMEOUT, bound);
    }

    private void setHost(String value) {
        if (value.startsWith("/") || value.startsWith("@")) {
            throw PgshiftException.config(prefix() + ": the host " + value + " is a Unix-domain socket, and the "
                    + "PostgreSQL JDBC driver can only connect over TCP. Use host=localhost (with the server's "
                    + "TCP port) instead, and make sure the server listens on it (listen_addresses).");
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.isEmpty()) {
            host = value;
        }
    }

    private void setPort(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int value = -1;
        if (text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            value = Integer.parseInt(text);
        }
        if (value < 1 || value > 65535) {
            throw invalid("the port must be a number from 1 to 65535");
        }
        port = value;
    }

    private DatabaseUrl build() {
        String finalUser = user == null ? DEFAULT_USER : user;
        String finalHost = host == null ? "localhost" : host;
        int finalPort = port == null ? DEFAULT_PORT : port;
        // Transaction-mode poolers (PgBouncer, Supavisor on 6543) hand each transaction to another
        // backend, so a server-side prepared statement may not exist on the next one.
        boolean pooler = finalPort == 6543 || finalHost.toLowerCase(Locale.ROOT).endsWith(".pooler.supabase.com")
                || "true".equalsIgnoreCase(properties.get("pgbouncer"));
        if (pooler && !properties.containsKey("prepareThreshold")) {
            properties.put("prepareThreshold", "0");
        }
        return new DatabaseUrl(finalHost, finalPort, database == null ? finalUser : database,
                finalUser, password, properties);
    }

    private String decode(String text, boolean plusIsSpace) {
        try {
            return PercentCoding.decode(text, plusIsSpace);
        } catch (IllegalArgumentException e) {
            // The message of e is not used: it could quote part of the password.
            throw invalid("it contains a '%' that does not start a valid UTF-8 escape like %40");
        }
    }

    private PgshiftException invalid(String reason) {
        return PgshiftException.config(prefix() + ": " + reason + ". " + ACCEPTED_FORMS);
    }

    private String prefix() {
        String from = "Cannot use the database URL" + (origin == null ? "" : " from " + origin);
        if (input == null || input.isBlank()) {
            return from;
        }
        String shown = input.strip();
        if (!shown.contains("://")) {
            // A value without a scheme is often a password pasted into the wrong variable.
            return from + " (not shown: without a scheme like postgresql:// it may be a password)";
        }
        return from + " '" + Secrets.maskUrl(shown) + "'";
    }
}
