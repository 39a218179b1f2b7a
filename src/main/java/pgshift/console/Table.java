package pgshift.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A text table that fits a width: columns as wide as their widest cell, and when the whole is
 * too wide, the widest columns are cut (with "...") until it fits. Cells may carry colour codes,
 * which take no width.
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

    /** Adds a row; missing cells are empty, line breaks inside a cell show as "\n". */
    public Table row(String... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < row.length; i++) {
            String cell = i < cells.length && cells[i] != null ? cells[i] : "";
            row[i] = cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0 ? cell
                    : cell.replace("\r", "\\r").replace("\n", "\\n");
        }
        rows.add(row);
        return this;
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
        return plain.substring(0, Math.max(0, width - 3)) + "...";
    }

    private static int visibleLength(String cell) {
        return cell.indexOf('\u001b') < 0 ? cell.length() : COLOR.matcher(cell).replaceAll("").length();
    }
}
