package pgshift.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks passwords in free text (driver errors, typed command lines) before it is printed or saved. */
public final class Secrets {

    /** What a masked secret is replaced with. */
    public static final String MASK = "***";

    /*
     * user:SECRET@ after a scheme (any scheme, jdbc:postgresql:// included) or at the start of a
     * word. The secret runs to the last '@' before a '?' or whitespace, because unencoded passwords
     * often contain '@' themselves; if a raw '?' hides the '@', it runs to the last '@' of the word,
     * which may mask too much but never too little. A secret never contains "://", so that the
     * scheme of "postgresql://user@host" is not taken for a user name. User names and secrets are
     * bounded in length: unbounded, every quote or comma of a long line without spaces (a JSON
     * document, a one-line INSERT) would rescan the rest of the line, which is quadratic.
     */
    private static final Pattern URI_USER_INFO = Pattern.compile(
            "(?<lead>(?<![A-Za-z0-9+.\\-:])[A-Za-z][A-Za-z0-9+.\\-:]{0,32}://|^|(?<=[\\s'\"<(=,;]))"
                    + "(?<user>[^\\s:/@?'\"<>=]{0,256}):(?!//)(?:(?:(?!://)[^\\s?]){0,512}@|(?:(?!://)\\S){0,512}@)");

    /* password=SECRET as a query parameter or libpq keyword/value pair, quoted or not; sslpassword too. */
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile(
            "(?i)\\b(?<key>[a-z_]*password)\\s*=\\s*"
                    + "(?:'(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|[^\\s&]*)");

    /*
     * SQL's PASSWORD 'secret' (CREATE/ALTER ROLE or USER), typed into the shell's sql command or
     * shown from a migration: '' inside the literal is a quote, E'' takes backslash escapes.
     */
    private static final Pattern SQL_PASSWORD = Pattern.compile(
            "(?i)\\b(?<key>password)(?<gap>\\s+)(?:[eE]'(?:[^'\\\\]|\\\\.|'')*'?|'(?:[^']|'')*'?)");

    private Secrets() {
    }

    /** Returns {@code text} with every password it recognises replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (text.indexOf('\n') < 0) {
            return maskLine(text);
        }
        // Line by line: most lines of a long output have nothing to mask and are skipped cheaply.
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            out.append(maskLine(text.substring(start, end)));
            if (end < text.length()) {
                out.append('\n');
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static String maskLine(String text) {
        String mask = Matcher.quoteReplacement(MASK);
        // Both patterns need a character that most text lacks: check for it first, it is far cheaper.
        String masked = text.indexOf('@') < 0 ? text
                : URI_USER_INFO.matcher(text).replaceAll("${lead}${user}:" + mask + "@");
        if (masked.toLowerCase(Locale.ROOT).contains("password")) {
            masked = SQL_PASSWORD.matcher(masked).replaceAll("${key}${gap}'" + mask + "'");
        }
        if (!passwordBeforeEquals(masked)) {
            return masked;
        }
        return PASSWORD_ASSIGNMENT.matcher(masked).replaceAll("${key}=" + mask);
    }

    /** True when some '=' has "password" shortly before it, the only place the assignment pattern can match. */
    private static boolean passwordBeforeEquals(String text) {
        for (int i = text.indexOf('='); i >= 0; i = text.indexOf('=', i + 1)) {
            String before = text.substring(Math.max(0, i - 64), i).toLowerCase(Locale.ROOT);
            if (before.contains("password")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection property's value is a secret that must not be shown. */
    static boolean isSecretName(String name) {
        return name.toLowerCase(Locale.ROOT).contains("password");
    }
}
