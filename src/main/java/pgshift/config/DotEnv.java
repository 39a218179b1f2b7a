package pgshift.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pgshift.failure.PgshiftException;

/**
 * Reads {@code .env} files: {@code KEY=VALUE} lines, {@code export}, comments and quotes, without
 * {@code ${VAR}} expansion (values are used exactly as written).
 */
public final class DotEnv {

    private static final Pattern ASSIGNMENT =
            Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=(.*)");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s#");

    private final Path file;
    private final List<String> lines;
    private int next;

    private DotEnv(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * Returns the variables of {@code file} in file order (a later duplicate wins), or an empty map
     * when the file does not exist.
     *
     * @throws PgshiftException (config) naming file and line for a line that is not an assignment;
     *                          the line itself is not quoted because it may hold a secret
     */
    public static Map<String, String> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return new DotEnv(file, Files.readAllLines(file, StandardCharsets.UTF_8)).parse();
        } catch (CharacterCodingException e) {
            throw PgshiftException.config(file + " is not UTF-8 text. Save it as UTF-8, or remove it.", e);
        } catch (IOException e) {
            throw PgshiftException.config("Cannot read " + file + " (" + e + "). Check that it is a readable "
                    + "file, or remove it.", e);
        }
    }

    private Map<String, String> parse() {
        Map<String, String> values = new LinkedHashMap<>();
        while (next < lines.size()) {
            int lineNumber = next + 1;
            String line = lines.get(next++).stripLeading();
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).stripLeading();
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(line);
            if (!m.matches()) {
                throw malformed(lineNumber, "it is not a KEY=VALUE assignment (KEY made of letters, digits "
                        + "and _, optionally preceded by 'export ')");
            }
            values.put(m.group(1), value(m.group(2), lineNumber));
        }
        return Collections.unmodifiableMap(values);
    }

    private String value(String raw, int lineNumber) {
        String text = raw.stripLeading();
        if (text.startsWith("'") || text.startsWith("\"")) {
            return quoted(text, lineNumber);
        }
        // '#' starts a comment only after whitespace, so that "p#ss" stays a value.
        Matcher comment = INLINE_COMMENT.matcher(raw);
        return (comment.find() ? raw.substring(0, comment.start()) : raw).strip();
    }

    /** A quoted value may span lines, as certificates and keys in .env files often do. */
    private String quoted(String text, int lineNumber) {
        char quote = text.charAt(0);
        StringBuilder value = new StringBuilder();
        String rest = text.substring(1);
        while (true) {
            int close = quote == '\'' ? rest.indexOf('\'') : appendDoubleQuoted(rest, value);
            if (close >= 0) {
                if (quote == '\'') {
                    value.append(rest, 0, close);
                }
                String after = rest.substring(close + 1).strip();
                if (!after.isEmpty() && !after.startsWith("#")) {
                    throw malformed(lineNumber, "there is text after the closing quote of the value; "
                            + "put the whole value inside the quotes");
                }
                return value.toString();
            }
            if (next >= lines.size()) {
                throw malformed(lineNumber, "the value's opening " + quote + " quote is never closed; "
                        + "add the closing quote");
            }
            if (quote == '\'') {
                value.append(rest);
            }
            value.append('\n');
            rest = lines.get(next++);
        }
    }

    /** Appends the unescaped text up to the closing quote and returns its index, or -1 if the line has none. */
    private static int appendDoubleQuoted(String text, StringBuilder value) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < text.length()) {
                char escaped = text.charAt(++i);
                switch (escaped) {
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case '"', '\\', '$' -> value.append(escaped);
                    // Unknown escapes stay as written: Windows paths in .env files are common.
                    default -> value.append('\\').append(escaped);
                }
            } else {
                value.append(c);
            }
        }
        return -1;
    }

    private PgshiftException malformed(int lineNumber, String reason) {
        return PgshiftException.config(file + ":" + lineNumber + ": " + reason + ". Lines in a .env file look "
                + "like KEY=VALUE; use # for comments and quote values that contain spaces or #.");
    }
}
