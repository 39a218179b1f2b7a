package pgshift.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified-style line diff ("-" old, "+" new, two lines of context), for showing how a file
 * changed since it was applied. Common leading and trailing lines are set aside first, so the
 * usual small edit in a long file costs little; a middle too big to compare is summarised.
 */
public final class LineDiff {

    private static final int CONTEXT = 2;
    /** Cells of the comparison table: beyond this (a rewrite, not an edit) the diff is summarised. */
    private static final long MAX_CELLS = 4_000_000;

    private LineDiff() {
    }

    /** The diff as lines ending in a line break; empty when both are equal. */
    public static String of(List<String> before, List<String> after) {
        int prefix = 0;
        while (prefix < before.size() && prefix < after.size() && before.get(prefix).equals(after.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < before.size() - prefix && suffix < after.size() - prefix
                && before.get(before.size() - 1 - suffix).equals(after.get(after.size() - 1 - suffix))) {
            suffix++;
        }
        if (prefix == before.size() && prefix == after.size()) {
            return "";
        }
        List<String> a = before.subList(prefix, before.size() - suffix);
        List<String> b = after.subList(prefix, after.size() - suffix);
        if ((long) a.size() * b.size() > MAX_CELLS) {
            return "@@ lines " + (prefix + 1) + "-" + (before.size() - suffix) + " (recorded) became lines "
                    + (prefix + 1) + "-" + (after.size() - suffix) + " (file): too many changes to list\n";
        }
        List<String> edits = new ArrayList<>();
        for (int i = Math.max(0, prefix - CONTEXT); i < prefix; i++) {
            edits.add("  " + before.get(i));
        }
        edits.addAll(middle(a, b));
        for (int i = before.size() - suffix; i < Math.min(before.size(), before.size() - suffix + CONTEXT); i++) {
            edits.add("  " + before.get(i));
        }
        StringBuilder out = new StringBuilder("@@ from line " + (Math.max(0, prefix - CONTEXT) + 1) + " @@\n");
        edits.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** Longest common subsequence, then walked into "-", "+" and "  " lines. */
    private static List<String> middle(List<String> a, List<String> b) {
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        return out;
    }
}
