package pgshift.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.console.LineDiff;
import pgshift.db.History;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationScript;
import pgshift.migration.MigrationState;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/** Shows one migration: its file, its statements, the recorded ones, and what changed between them. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one migration: file, statements, recorded statements, and a diff when it was modified.")
public final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(index = "0", paramLabel = "VERSION", description = "A version, or a migration file name or path")
    String version;

    @Override
    public Integer call() throws Exception {
        try (Context ctx = root.openContext()) {
            var scan = ctx.scan();
            try (Connection conn = ctx.database().connection()) {
                Plan plan = ctx.plan(conn, scan);
                PlanEntry entry = Selection.find(plan, Selection.version(version));
                List<String> fromFile = entry.hasFile() ? MigrationScript.load(entry.file()).texts() : null;
                List<String> recorded = entry.isApplied()
                        ? History.recordedStatements(conn, List.of(entry.version())).get(entry.version()) : null;
                ctx.console().println(render(ctx, entry, fromFile, recorded));
                return 0;
            }
        }
    }

    private static String render(Context ctx, PlanEntry entry, List<String> fromFile, List<String> recorded) {
        StringBuilder out = new StringBuilder();
        out.append("Migration ").append(entry.version()).append(' ').append(entry.name())
                .append(": ").append(entry.state().label()).append('\n');
        out.append("File:      ").append(entry.hasFile() ? ctx.display(entry.file())
                : "none (missing from " + ctx.display(ctx.folder()) + ")").append('\n');
        if (entry.isApplied()) {
            out.append("Applied:   ").append(applied(entry.row())).append('\n');
        }
        if (fromFile != null) {
            statements(out, "The file's statements", fromFile);
        }
        if (!entry.isApplied()) {
            out.append("\nNot applied yet: nothing is recorded.\n");
        } else if (recorded == null) {
            out.append("\nThe ledger row has no statements (written by a tool that does not record them).\n");
        } else if (recorded.equals(fromFile)) {
            out.append("\nRecorded statements: the same ").append(recorded.size()).append(", character for character.\n");
        } else {
            statements(out, "Recorded statements", recorded);
            if (fromFile != null) {
                out.append(entry.state() == MigrationState.MODIFIED
                        ? "\nChanged since it was applied (- recorded, + file):\n"
                        : "\nThe file differs only in whitespace or comments (- recorded, + file):\n");
                out.append(LineDiff.of(lines(recorded), lines(fromFile)));
            }
        }
        return out.toString().stripTrailing();
    }

    private static String applied(LedgerRow row) {
        if (row.appliedAt() == null) {
            return "by another tool (no pgshift record)";
        }
        return StatusView.utc(row.appliedAt())
                + (row.appliedBy() == null ? "" : " by " + row.appliedBy())
                + (row.executionMs() == null ? "" : " in " + row.executionMs() + " ms")
                + " (" + row.originLabel() + ")";
    }

    private static void statements(StringBuilder out, String title, List<String> statements) {
        out.append('\n').append(title).append(" (").append(statements.size()).append("):\n");
        for (String s : statements) {
            out.append(s).append(";\n");
        }
    }

    /** Statements as the lines a person reads: each ends with its ";". */
    private static List<String> lines(List<String> statements) {
        List<String> lines = new ArrayList<>();
        for (String s : statements) {
            lines.addAll(List.of((s + ";").split("\r?\n", -1)));
        }
        return lines;
    }
}
