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
     * scheme of "postgresql://user@host" is not taken for a user name.
     */
    private static final Pattern URI_USER_INFO = Pattern.compile(
            "(?<lead>(?<![A-Za-z0-9+.\\-:])[A-Za-z][A-Za-z0-9+.\\-:]*://|^|(?<=[\\s'\"<(=,;]))"
                    + "(?<user>[^\\s:/@?'\"<>=]*):(?!//)(?:(?:(?!://)[^\\s?])*@|(?:(?!://)\\S)*@)");

    /* password=SECRET as a query parameter or libpq keyword/value pair, quoted or not; sslpassword too. */
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile(
            "(?i)\\b(?<key>[a-z_]*password)\\s*=\\s*"
                    + "(?:'(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|[^\\s&]*)");

    private Secrets() {
    }

    /** Returns {@code text} with every password it recognises replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String mask = Matcher.quoteReplacement(MASK);
        String masked = URI_USER_INFO.matcher(text).replaceAll("${lead}${user}:" + mask + "@");
        return PASSWORD_ASSIGNMENT.matcher(masked).replaceAll("${key}=" + mask);
    }

    /** Whether a connection property's value is a secret that must not be shown. */
    static boolean isSecretName(String name) {
        return name.toLowerCase(Locale.ROOT).contains("password");
    }
}
