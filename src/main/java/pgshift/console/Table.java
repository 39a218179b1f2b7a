package pgshift.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jline.utils.WCWidth;

import pgshift.config.Printable;

/**
 * A text table that fits a width: columns as wide as their widest cell, and when the whole is
 * too wide, the widest columns are cut (with "...") until it fits. Widths are terminal columns:
 * CJK and fullwidth characters take two, combining marks none. Cells may carry colour codes,
 * which take no width; any other control character is shown escaped.
 */
public final class Table {

    private static final Pattern COLOR = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final int INDENT = 2;
    private static final int GAP = 2;
    /** No column is cut below this, so a very narrow terminal wraps rather than shows nothing. */
    private static final int MIN_WIDTH = 6;

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = headers.clone();
    }

    /**
     * Adds a row; missing cells are empty. Control characters other than colour codes show
     * escaped ("\n", "\x1b"): a name from a file or the ledger must not move the cursor.
     */
    public Table row(String... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = escape(i < cells.length && cells[i] != null ? cells[i] : "");
        }
        rows.add(row);
        return this;
    }

    private static String escape(String cell) {
        if (cell.codePoints().noneMatch(Printable::isControl)) {
            return cell;
        }
        StringBuilder out = new StringBuilder();
        Matcher colour = COLOR.matcher(cell);
        int at = 0;
        while (colour.find()) {
            escape(cell.substring(at, colour.start()), out);
            out.append(colour.group());
            at = colour.end();
        }
        escape(cell.substring(at), out);
        return out.toString();
    }

    private static void escape(String text, StringBuilder out) {
        out.append(Printable.of(text));
    }

    public int size() {
        return rows.size();
    }

    /**
     * The table as lines ending in a line break.
     *
     * @param maxWidth the terminal's width; 0 or less for no limit (output that is not a terminal)
     */
    public String render(int maxWidth) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = visibleLength(headers[i]);
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], visibleLength(row[i]));
            }
        }
        if (maxWidth > 0) {
            fit(widths, maxWidth);
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    /** Cuts the widest column by one until the table fits or nothing can be cut any more. */
    private static void fit(int[] widths, int maxWidth) {
        int total = INDENT + Arrays.stream(widths).sum() + GAP * (widths.length - 1);
        while (total > maxWidth) {
            int widest = 0;
            for (int i = 1; i < widths.length; i++) {
                if (widths[i] > widths[widest]) {
                    widest = i;
                }
            }
            if (widths[widest] <= MIN_WIDTH) {
                return;
            }
            widths[widest]--;
            total--;
        }
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(" ".repeat(INDENT));
        for (int i = 0; i < cells.length; i++) {
            String cell = cut(cells[i], widths[i]);
            line.append(cell);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - visibleLength(cell) + GAP));
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(line, 0, end).append('\n');
    }

    private static String cut(String cell, int width) {
        if (visibleLength(cell) <= width) {
            return cell;
        }
        String plain = COLOR.matcher(cell).replaceAll("");
        int room = Math.max(0, width - 3);
        int used = 0;
        int end = 0;
        while (end < plain.length()) {
            int c = plain.codePointAt(end);
            int w = columns(c);
            if (used + w > room) {
                break;
            }
            used += w;
            end += Character.charCount(c);
        }
        // Combining marks after the cut belong to the last character kept.
        while (end < plain.length() && columns(plain.codePointAt(end)) == 0) {
            end += Character.charCount(plain.codePointAt(end));
        }
        // A wide character that did not fit leaves one column: pad it, so the column stays aligned.
        return plain.substring(0, end) + " ".repeat(room - used) + "...";
    }

    /** The cell's width in terminal columns, colour codes left out. */
    static int visibleLength(String cell) {
        String plain = cell.indexOf('\u001b') < 0 ? cell : COLOR.matcher(cell).replaceAll("");
        int width = 0;
        for (int i = 0; i < plain.length(); ) {
            int c = plain.codePointAt(i);
            width += columns(c);
            i += Character.charCount(c);
        }
        return width;
    }

    private static int columns(int codePoint) {
        if (codePoint < 0x7f && codePoint >= 0x20) {
            return 1; // the common case, without the table lookup
        }
        return Math.max(0, WCWidth.wcwidth(codePoint));
    }
}
