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

    /*
     * scheme://user:SECRET with no '@' in the word: a URL whose '@' was forgotten or mistyped
     * (postgresql://app:SECRET/host/db, postgresql://app:SECRET#host/db). What follows the ':' is a
     * port when it is all digits; otherwise it may be a password, and it is masked up to the last
     * '/' of the word (the database name), or to the end of the word. "host:port" is a placeholder in
     * pgshift's own help, not a password.
     */
    private static final Pattern URI_WITHOUT_AT = Pattern.compile(
            "(?<lead>(?<![A-Za-z0-9+.\\-:])[A-Za-z][A-Za-z0-9+.\\-:]{0,32}://)(?<user>[^\\s:/@?'\"<>=\\[\\]]{0,256}):"
                    + "(?!(?:\\d{0,5}|<?port>?|<?PORT>?)(?:[/?\\s'\"]|$))"
                    + "(?:[^\\s@]{0,512}(?=/[^\\s@/]{0,512}(?:[\\s'\"]|$))|[^\\s@/]{0,512}(?=[\\s'\"]|$))");

    /* In a string known to be a URL, a password parameter's value runs to the next '&', spaces included. */
    private static final Pattern SECRET_QUERY_PARAMETER = Pattern.compile("(?i)(?<key>[?&][a-z_]*password=)[^&]*");

    /* password=SECRET as a query parameter or libpq keyword/value pair, quoted or not; sslpassword too. */
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile(
            "(?i)\\b(?<key>[a-z_]*password)\\s*=\\s*"
                    + "(?:'(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|[^\\s&]*)");

    /*
     * SQL's PASSWORD 'secret' (CREATE/ALTER ROLE or USER, ENCRYPTED PASSWORD), typed into the
     * shell's sql command or shown from a migration: '' inside the literal is a quote, E'' takes
     * backslash escapes, U&'' and dollar quotes ($$...$$, $tag$...$tag$) work too, and spaces,
     * line breaks and comments may stand between PASSWORD and the literal. An unterminated literal
     * runs to the end of the text.
     */
    private static final Pattern SQL_PASSWORD = Pattern.compile(
            "(?i)\\b(?<key>password)(?<gap>(?:\\s|--[^\\n]*+\\n|/\\*[\\s\\S]*?\\*/)+)(?<literal>"
                    + "e'(?:[^'\\\\]|\\\\[\\s\\S]|'')*+'?"
                    + "|(?:u&)?'(?:[^']|'')*+'?"
                    + "|\\$(?<tag>(?:[a-z_][a-z0-9_]*)?)\\$[\\s\\S]*?(?:\\$\\k<tag>\\$|\\z))");

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
        if (text.toLowerCase(Locale.ROOT).contains("password")) {
            // A literal may start on the line after PASSWORD, or span lines itself.
            text = maskSqlPasswords(text);
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

    /**
     * Masks {@code url}, a string given as a database URL (which may be malformed), more strictly
     * than {@link #mask}: everything between the first ':' after the scheme and the last '@' goes,
     * even when the password has spaces, '?' or '#' in it; without a "://" the whole value goes,
     * since it may be a password pasted on its own. Null stays null.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return MASK;
        }
        String masked = SECRET_QUERY_PARAMETER.matcher(url).replaceAll("${key}" + Matcher.quoteReplacement(MASK));
        int start = schemeEnd + 3;
        int at = masked.lastIndexOf('@');
        int colon = masked.indexOf(':', start);
        if (at > start) {
            if (colon >= 0 && colon < at) {
                masked = masked.substring(0, colon + 1) + MASK + masked.substring(at);
            }
        } else {
            masked = maskAfterColon(masked, start);
        }
        return mask(masked);
    }

    /**
     * For a URL without '@': what follows the host's ':' is a port when it is all digits; anything
     * else may be a password whose '@' was forgotten or mistyped, so it is masked up to the last '/'
     * (before the database name), or to the end.
     */
    private static String maskAfterColon(String url, int start) {
        int from = start;
        if (url.startsWith("[", start)) {
            int close = url.indexOf(']', start);
            from = close < 0 ? url.length() : close;
        }
        int colon = url.indexOf(':', from);
        if (colon < 0) {
            return url;
        }
        int portEnd = colon + 1;
        while (portEnd < url.length() && "/?".indexOf(url.charAt(portEnd)) < 0) {
            portEnd++;
        }
        if (url.substring(colon + 1, portEnd).matches("\\d{0,5}")) {
            return url;
        }
        int end = url.lastIndexOf('/');
        return url.substring(0, colon + 1) + MASK + (end > colon ? url.substring(end) : "");
    }

    private static String maskLine(String text) {
        String mask = Matcher.quoteReplacement(MASK);
        // The patterns need characters that most text lacks: check for them first, it is far cheaper.
        String masked = text.indexOf('@') < 0 ? text
                : URI_USER_INFO.matcher(text).replaceAll("${lead}${user}:" + mask + "@");
        if (masked.contains("://")) {
            masked = URI_WITHOUT_AT.matcher(masked).replaceAll("${lead}${user}:" + mask);
        }
        if (masked.toLowerCase(Locale.ROOT).contains("password")) {
            masked = maskSqlPasswords(masked);
        }
        if (!passwordBeforeEquals(masked)) {
            return masked;
        }
        return PASSWORD_ASSIGNMENT.matcher(masked).replaceAll("${key}=" + mask);
    }

    /**
     * PASSWORD followed by a literal becomes PASSWORD '***'; the literal's line breaks are kept
     * after the mask, so that the text keeps its line numbers.
     */
    private static String maskSqlPasswords(String text) {
        Matcher m = SQL_PASSWORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            long breaks = m.group("literal").chars().filter(c -> c == '\n').count();
            m.appendReplacement(out, Matcher.quoteReplacement(m.group("key") + m.group("gap") + "'" + MASK + "'"
                    + "\n".repeat((int) breaks)));
        }
        m.appendTail(out);
        return out.toString();
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
