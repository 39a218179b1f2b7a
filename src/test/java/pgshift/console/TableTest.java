package pgshift.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    private static Table table() {
        return new Table("VERSION", "NAME", "STATE")
                .row("1", "create_users_and_their_profiles_with_policies", "applied")
                .row("20251112000001", "add_bounce_tracking", "pending");
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellWithoutALimit() {
        assertThat(table().render(0)).isEqualTo("""
                  VERSION         NAME                                           STATE
                  1               create_users_and_their_profiles_with_policies  applied
                  20251112000001  add_bounce_tracking                            pending
                """);
    }

    @Test
    void theWidestColumnIsCutToFitTheTerminal() {
        String rendered = table().render(50);
        assertThat(rendered.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(50));
        assertThat(rendered).contains("  1               create_users_and_the...  applied");
    }

    @Test
    void colourCodesTakeNoWidth() {
        String red = "\u001b[31mmissing\u001b[0m";
        String rendered = new Table("A", "STATE", "B").row("x", red, "y").row("x", "pending", "y").render(0);
        assertThat(rendered.lines().toList()).containsExactly("  A  STATE    B", "  x  " + red + "  y", "  x  pending  y");
    }

    @Test
    void lineBreaksInsideACellStayOnOneLine() {
        assertThat(new Table("Q").row("select 1\nfrom t").render(0)).isEqualTo("  Q\n  select 1\\nfrom t\n");
    }

    @Test
    void wideCharactersTakeTwoColumnsAndCombiningMarksNone() {
        String rendered = new Table("VERSION", "NAME", "STATE")
                .row("1", "\u7528\u6237\u8868", "applied")        // 用户表: 3 characters, 6 columns
                .row("2", "cafe\u0301", "pending")                  // café with a combining accent: 4 columns
                .row("3", "\uff21\uff22", "applied")               // fullwidth ＡＢ: 4 columns
                .render(0);
        assertThat(rendered.lines().toList()).containsExactly(
                "  VERSION  NAME    STATE",
                "  1        \u7528\u6237\u8868  applied",
                "  2        cafe\u0301    pending",
                "  3        \uff21\uff22    applied");
    }

    @Test
    void wideCharactersAreCutByColumns() {
        String name = "\u7528\u6237\u8868\u7684\u8fc1\u79fb\u811a\u672c"; // 8 CJK characters, 16 columns
        String rendered = new Table("V", "NAME", "S").row("1", name, "ok").row("2", "a", "ok").render(2 + 1 + 2 + 10 + 2 + 2);
        assertThat(rendered.lines().toList()).containsExactly(
                "  V  NAME        S",
                "  1  \u7528\u6237\u8868 ...  ok", // 6 columns of CJK, 1 of padding, then "...": 10
                "  2  a           ok");
    }

    @Test
    void controlCharactersAreEscapedButColoursKept() {
        String red = "\u001b[31mmissing\u001b[0m";
        String rendered = new Table("NAME", "STATE").row("a\u001b[2Jb\u0007\tc", red).render(0);
        assertThat(rendered.lines().toList()).containsExactly("  NAME              STATE", "  a\\x1b[2Jb\\x07\\tc  " + red);
    }
}
