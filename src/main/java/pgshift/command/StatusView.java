package pgshift.command;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import pgshift.config.DatabaseUrl;
import pgshift.console.Console;
import pgshift.console.Table;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** Renders a plan as the status table or as JSON. */
final class StatusView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private StatusView() {
    }

    static void table(Context ctx, Plan plan, String serverVersion) {
        Console console = ctx.console();
        console.println("Database:   " + ctx.url().masked() + " (PostgreSQL " + serverVersion + ")");
        console.println("Migrations: " + ctx.display(ctx.folder()));
        List<PlanEntry> entries = plan.entries();
        if (entries.isEmpty()) {
            console.println("");
            console.println("No migrations yet: add a file named like 20251112000001_create_users.sql to "
                    + ctx.display(ctx.folder()) + ".");
            return;
        }
        Table table = new Table("VERSION", "NAME", "STATE", "APPLIED AT");
        for (PlanEntry e : entries) {
            table.row(MigrationFile.printable(e.version()), MigrationFile.printable(e.name()), paint(console, e.state(), e.state().label()), appliedAt(e));
        }
        // One write for the whole table: thousands of rows print in milliseconds.
        console.println("\n" + table.render(console.width()) + "\n" + summary(plan));
    }

    static String summary(Plan plan) {
        return plan.entries().size() + " migration(s): " + counts(plan);
    }

    /** "3 applied, 1 pending, 0 modified, 0 missing, 0 out of order"; drafts and conflicts only when there are any. */
    static String counts(Plan plan) {
        Map<MigrationState, Integer> c = plan.counts();
        return c.get(MigrationState.APPLIED) + " applied, "
                + c.get(MigrationState.PENDING) + " pending, "
                + (c.get(MigrationState.DRAFT) > 0 ? c.get(MigrationState.DRAFT) + " draft, " : "")
                + c.get(MigrationState.MODIFIED) + " modified, "
                + c.get(MigrationState.MISSING) + " missing, " + c.get(MigrationState.OUT_OF_ORDER) + " out of order"
                + (c.get(MigrationState.CONFLICT) > 0 ? ", " + c.get(MigrationState.CONFLICT) + " in conflict" : "");
    }

    private static String paint(Console console, MigrationState state, String label) {
        return switch (state) {
            case APPLIED -> console.green(label);
            case PENDING, DRAFT -> console.yellow(label);
            default -> console.red(label);
        };
    }

    private static String appliedAt(PlanEntry e) {
        if (e.row() == null) {
            return "";
        }
        OffsetDateTime at = e.row().appliedAt();
        return at == null ? "(by another tool)" : utc(at);
    }

    /** {@link #TIME}, written out by hand for years 1000-9999: the formatter is slow enough for 10,000 rows to notice. */
    static String utc(OffsetDateTime at) {
        LocalDateTime t = at.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return TIME.format(t);
        }
        StringBuilder out = new StringBuilder(23);
        out.append(t.getYear()).append('-');
        twoDigits(out, t.getMonthValue()).append('-');
        twoDigits(out, t.getDayOfMonth()).append(' ');
        twoDigits(out, t.getHour()).append(':');
        twoDigits(out, t.getMinute()).append(':');
        return twoDigits(out, t.getSecond()).append(" UTC").toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static String json(DatabaseUrl url, Plan plan) {
        Json out = new Json();
        out.open('{').key("database").value(url.masked()).key("migrations").open('[');
        for (PlanEntry e : plan.entries()) {
            out.newline();
            out.open('{').key("version").value(e.version()).key("name").value(e.name())
                    .key("state").value(e.state().label());
            if (e.row() == null) {
                out.key("appliedAt").nul().key("executionMs").nul().key("origin").nul();
            } else {
                out.key("appliedAt").value(e.row().appliedAt() == null ? null : e.row().appliedAt().toInstant().toString())
                        .key("executionMs").value(e.row().executionMs())
                        .key("origin").value(e.row().originLabel());
            }
            out.close('}');
        }
        out.lineBreak();
        out.close(']');
        Map<MigrationState, Integer> c = plan.counts();
        out.key("summary").open('{')
                .key("applied").value(c.get(MigrationState.APPLIED).longValue())
                .key("pending").value(c.get(MigrationState.PENDING).longValue())
                .key("draft").value(c.get(MigrationState.DRAFT).longValue())
                .key("modified").value(c.get(MigrationState.MODIFIED).longValue())
                .key("missing").value(c.get(MigrationState.MISSING).longValue())
                .key("outOfOrder").value(c.get(MigrationState.OUT_OF_ORDER).longValue())
                .key("conflict").value(c.get(MigrationState.CONFLICT).longValue())
                .close('}');
        out.close('}');
        return out + "\n";
    }
}
