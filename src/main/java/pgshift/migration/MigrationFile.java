package pgshift.migration;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import pgshift.config.Printable;

/** A migration file on disk: its version (the leading digits), its name and its path. */
public record MigrationFile(String version, String name, Path path) {

    /** The Supabase CLI's rule: digits, an underscore, anything, ".sql". */
    public static final Pattern NAME_PATTERN = Pattern.compile("^([0-9]+)_(.*)\\.sql$");

    public static final String EXPECTED_FORM = "<digits>_<name>.sql, e.g. 20251112000001_add_bounce_tracking.sql";

    /**
     * Versions compare as text, byte by byte, as the Supabase CLI's {@code ORDER BY version} and its
     * Go string comparisons do: "20250819100000" before "20250821", "10" before "9".
     */
    public static final Comparator<String> VERSION_ORDER = MigrationFile::compareText;

    /**
     * The order files run in: by file name, byte by byte, as Go's {@code fs.ReadDir} lists them. It
     * differs from {@link #VERSION_ORDER} only when one version is a prefix of another: "10_a.sql"
     * runs before "1_b.sql" because '0' sorts before '_'.
     */
    public static final Comparator<MigrationFile> RUN_ORDER = (a, b) -> compareText(a.fileName(), b.fileName());

    /**
     * Compares the UTF-8 bytes of two strings. Code point order is UTF-8 byte order; Java's
     * {@link String#compareTo} compares UTF-16 units, which puts characters above U+FFFF before U+E000..U+FFFF.
     */
    public static int compareText(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * True when two different versions are the same number ("002" and "2"): distinct rows to the
     * ledger, but one migration to a person, so pgshift refuses to guess which is meant.
     */
    public static boolean sameNumber(String a, String b) {
        return !a.equals(b) && isDigits(a) && isDigits(b) && numericKey(a).equals(numericKey(b));
    }

    /** A key equal for versions of equal value ("01", "1"): digits without leading zeros; other text as is. */
    public static String numericKey(String version) {
        return isDigits(version) ? version.substring(significantStart(version)) : version;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int significantStart(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    /** Parses a file name; empty when the name does not follow the rule. */
    public static Optional<MigrationFile> parse(Path path) {
        Matcher m = NAME_PATTERN.matcher(path.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new MigrationFile(m.group(1), m.group(2), path));
    }

    public String fileName() {
        return path.getFileName().toString();
    }

    /** The file name safe to print: control characters escaped (see {@link #printable(String)}). */
    public String displayName() {
        return printable(fileName());
    }

    /** A name as it can be printed: see {@link Printable}. */
    public static String printable(String name) {
        return Printable.of(name);
    }

    /**
     * @deprecated versions are text: order them with {@link #VERSION_ORDER}, match them exactly, and
     * detect leading-zero twins with {@link #sameNumber}. Kept until mark-applied's --through stops using it.
     */
    @Deprecated
    public static BigInteger numeric(String version) {
        try {
            return new BigInteger(version);
        } catch (NumberFormatException e) {
            return BigInteger.valueOf(Long.MAX_VALUE).pow(4);
        }
    }
}
