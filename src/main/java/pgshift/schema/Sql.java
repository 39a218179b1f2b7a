package pgshift.schema;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes names and literals into SQL the way the server's quote_ident and quote_literal do: a
 * name stays bare when it is lower case, plain and not a keyword of the server that read it.
 */
final class Sql {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

    /** The server's keywords that quote_ident quotes (every category but unreserved). */
    static final String KEYWORDS = "SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'";

    private final Set<String> keywords;

    Sql(Set<String> keywords) {
        this.keywords = Set.copyOf(keywords);
    }

    String ident(String name) {
        if (PLAIN.matcher(name).matches() && !keywords.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    /** A role as a grant or a policy names it: PUBLIC is the keyword. */
    String role(String name) {
        return name.equals("PUBLIC") || name.equals("public") ? "PUBLIC" : ident(name);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
