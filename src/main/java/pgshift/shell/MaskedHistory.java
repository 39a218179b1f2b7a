package pgshift.shell;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jline.reader.impl.history.DefaultHistory;

import pgshift.config.Secrets;

/** Line history that masks passwords before a line is kept or saved to ~/.pgshift_history. */
final class MaskedHistory extends DefaultHistory {

    /* "connect URL": the rest of the line is known to be a URL, so it is masked as one. */
    private static final Pattern CONNECT = Pattern.compile("(?s)(\\s*connect\\s+)(.*)");

    @Override
    public void add(Instant time, String line) {
        super.add(time, mask(line));
    }

    /**
     * The line as it may be kept: {@code connect}'s argument is masked whole (a password with '@',
     * '#', '?' or spaces in it, or a URL without '@'), and a bare argument without a scheme, which
     * may be a password typed in the wrong place, is not kept at all; other lines go through
     * {@link Secrets#mask}.
     */
    static String mask(String line) {
        Matcher m = CONNECT.matcher(line);
        if (!m.matches()) {
            return Secrets.mask(line);
        }
        String argument = m.group(2);
        if (!argument.contains("://") && argument.startsWith("-")) {
            return Secrets.mask(line);
        }
        return m.group(1) + Secrets.maskUrl(argument);
    }
}
