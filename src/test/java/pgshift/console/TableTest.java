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
}
