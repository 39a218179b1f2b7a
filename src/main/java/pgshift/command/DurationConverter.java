package pgshift.command;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads "10s", "500ms", "2m", "1h" or a bare number of seconds, from zero (for a lock: do not wait) up to
 * {@link #MAX}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** A day: longer waits are typing mistakes, and far larger ones would overflow the clock arithmetic. */
    static final Duration MAX = Duration.ofHours(24);

    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final String ACCEPTED = "use a whole number with ms, s, m or h, like 10s, 500ms, 2m or 1h, "
            + "from 0 up to 24h";

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration: " + ACCEPTED);
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration duration = of(m.group(1).replaceFirst("^0+(?=\\d)", ""), unit);
        if (duration == null || duration.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + value + "' is too long a duration: " + ACCEPTED);
        }
        return duration;
    }

    /** The duration, or null when it does not even fit in a {@link Duration}. */
    private static Duration of(String digits, String unit) {
        // Eighteen digits always fit in a long; more are far above the maximum in every unit.
        if (digits.length() > 18) {
            return null;
        }
        long n = Long.parseLong(digits);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
