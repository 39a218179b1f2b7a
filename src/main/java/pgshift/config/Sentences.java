package pgshift.config;

import java.util.StringJoiner;

/**
 * Joins message parts into sentences, so that a part that already ends a sentence (as most
 * driver and server messages do) is not followed by a second full stop.
 */
public final class Sentences {

    private Sentences() {
    }

    /**
     * The parts, each ended by exactly one full stop unless it ends with its own '.', '!' or '?',
     * separated by one space; blank or null parts are left out.
     */
    public static String join(String... parts) {
        StringJoiner out = new StringJoiner(" ");
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                out.add(end(part.strip()));
            }
        }
        return out.toString();
    }

    /** {@code text} with one full stop at its end, unless it already ends a sentence. */
    public static String end(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return trimmed;
        }
        char last = trimmed.charAt(trimmed.length() - 1);
        return last == '.' || last == '!' || last == '?' ? trimmed : trimmed + ".";
    }
}
