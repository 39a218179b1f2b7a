package pgshift.testing;

/**
 * What a terminal shows on its last line after the given output: the part of VT100 that JLine's
 * line editing uses (carriage return, newline, backspace, erase to end of line, cursor left and
 * right, delete characters); other escape sequences (colours) are skipped.
 */
public final class VisibleLine {

    private VisibleLine() {
    }

    public static String of(String output) {
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                line.setLength(0);
                col = 0;
            } else if (c == '\b') {
                col = Math.max(0, col - 1);
            } else if (c == '\u001b' && i + 1 < output.length() && output.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < output.length() && !Character.isLetter(output.charAt(end))) {
                    end++;
                }
                if (end == output.length()) {
                    break;
                }
                String params = output.substring(i + 2, end);
                int n = params.matches("\\d+") ? Integer.parseInt(params) : 1;
                switch (output.charAt(end)) {
                    case 'K' -> line.setLength(Math.min(col, line.length()));
                    case 'D' -> col = Math.max(0, col - n);
                    case 'C' -> col += n;
                    case 'P' -> line.delete(Math.min(col, line.length()), Math.min(col + n, line.length()));
                    default -> { } // colours, modes: nothing moves
                }
                i = end;
            } else if (c == '\u001b') {
                i++; // a two-character sequence (keypad modes)
            } else if (c >= ' ') {
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        return line.toString().stripTrailing();
    }
}
