package pgshift.migration;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A migration file on disk: its version (the leading digits), its name and its path. */
public record MigrationFile(String version, String name, Path path) {

    /** The Supabase CLI's rule: digits, an underscore, anything, ".sql". */
    public static final Pattern NAME_PATTERN = Pattern.compile("^([0-9]+)_(.*)\\.sql$");

    public static final String EXPECTED_FORM = "<digits>_<name>.sql, e.g. 20251112000001_add_bounce_tracking.sql";

    /**
     * Versions compare as numbers, so 9_x runs before 10_x whatever the zero padding; equal numbers
     * fall back to the text, and non-numeric versions (other tools' rows) sort last. Compared as
     * digit strings, without parsing: sorting 10,000 versions must not allocate millions of numbers.
     */
    public static final Comparator<String> VERSION_ORDER = MigrationFile::compareVersions;

    static int compareVersions(String a, String b) {
        boolean digitsA = isDigits(a);
        boolean digitsB = isDigits(b);
        if (digitsA != digitsB) {
            return digitsA ? -1 : 1;
        }
        if (digitsA) {
            int byNumber = compareDigits(a, b);
            if (byNumber != 0) {
                return byNumber;
            }
        }
        return a.compareTo(b);
    }

    /**
     * Compares versions by their numeric value alone, as {@link #numeric} does (so "01" and "1"
     * are equal), without building numbers when both are plain digits.
     */
    public static int compareNumbers(String a, String b) {
        if (isDigits(a) && isDigits(b)) {
            return compareDigits(a, b);
        }
        return numeric(a).compareTo(numeric(b));
    }

    /** Two digit strings by value: more significant digits is bigger, then digit by digit. */
    private static int compareDigits(String a, String b) {
        int startA = significantStart(a);
        int startB = significantStart(b);
        int byLength = Integer.compare(a.length() - startA, b.length() - startB);
        if (byLength != 0) {
            return byLength;
        }
        for (int i = startA, j = startB; i < a.length(); i++, j++) {
            int byDigit = Character.compare(a.charAt(i), b.charAt(j));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    /** A key equal for versions of equal value ("01", "1"): the digits without leading zeros. */
    public static String numericKey(String version) {
        return isDigits(version) ? version.substring(significantStart(version)) : numeric(version).toString();
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

    public static BigInteger numeric(String version) {
        try {
            return new BigInteger(version);
        } catch (NumberFormatException e) {
            // Ledger rows written by other tools may hold non-numeric versions: sort them last.
            return BigInteger.valueOf(Long.MAX_VALUE).pow(4);
        }
    }
}
