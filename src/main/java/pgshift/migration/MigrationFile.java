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

    /** Versions compare as numbers, so 9_x runs before 10_x whatever the zero padding. */
    public static final Comparator<String> VERSION_ORDER =
            Comparator.comparing(MigrationFile::numeric).thenComparing(Comparator.naturalOrder());

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
