package pgshift.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import pgshift.engine.MigrationListener;
import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFile;
import pgshift.migration.MigrationFolder;
import pgshift.schema.DdlWriter;
import pgshift.schema.Difference;
import pgshift.schema.SchemaDiff;
import pgshift.schema.SchemaSnapshot;
import pgshift.schema.Shadow;

/**
 * diff --write: the differences written as a new migration, kept only once it is proven. The
 * draft is applied to the shadow, which holds exactly the applied migrations (its snapshot is
 * only read), through the migration runner as apply would run it; the shadow's schema after it
 * is compared with the database's. What is left is listed at the top of the kept file.
 */
final class MigrationCapture {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private final Context ctx;
    private final Shadow shadow;
    private final MigrationFolder.Scan scan;
    private final Set<String> only;
    private final int applied;
    private final Duration lockTimeout;

    MigrationCapture(Context ctx, Shadow shadow, MigrationFolder.Scan scan, Set<String> only, int applied,
                     Duration lockTimeout) {
        this.ctx = ctx;
        this.shadow = shadow;
        this.scan = scan;
        this.only = only;
        this.applied = applied;
        this.lockTimeout = lockTimeout;
    }

    /** Writes, proves and keeps the migration; 0 when it makes the database's schema exactly, else 1. */
    int write(String name, SchemaSnapshot database, SchemaSnapshot migrations, List<Difference> differences,
              String timing) throws Exception {
        String url = ctx.url().masked();
        if (differences.isEmpty()) {
            ctx.console().println("No differences: " + url + " has the schema its " + applied
                    + " applied migration(s) make, so there is nothing to write (" + timing + ").");
            return 0;
        }
        DdlWriter.Script script = DdlWriter.write(differences, database, migrations);
        Path drafts = ctx.embeddedHome().resolve("diff-write");
        Files.createDirectories(drafts);
        Path draft = NewCommand.create(drafts, name, Clock.systemUTC(), text(name, script.unwritten(), false, script));
        MigrationFile candidate = MigrationFile.parse(draft).orElseThrow();
        MigrationFile last = scan.files().isEmpty() ? null : scan.files().get(scan.files().size() - 1);
        if (last != null && MigrationFile.RUN_ORDER.compare(last, candidate) > 0) {
            Files.delete(draft);
            throw PgshiftException.usage("diff --write names the new migration " + candidate.fileName() + ", as new does, "
                    + "and that sorts before " + last.fileName() + " (files run in file-name order): it would not run "
                    + "after every migration there is. Nothing was written. Name the migrations with leading timestamps "
                    + "(as new does) or with numbers of the same width, so that a new file sorts last.");
        }
        List<MigrationFile> files = new ArrayList<>(scan.files());
        files.add(candidate);
        files.sort(MigrationFile.RUN_ORDER);
        long started = System.nanoTime();
        try {
            shadow.replay(ctx.planner(), new MigrationFolder.Scan(files, scan.warnings()), Set.of(candidate.version()),
                    new MigrationListener() { }, lockTimeout, e -> ctx.display(e.file()));
        } catch (PgshiftException e) {
            if (e.kind() == PgshiftException.Kind.CANCELLED) {
                Files.deleteIfExists(draft);
                throw PgshiftException.cancelled("Cancelled while proving the new migration in the shadow database: "
                        + "nothing was written, and nothing was changed on " + url + ".");
            }
            ctx.console().println("The DDL pgshift wrote for the " + differences.size() + " difference(s) does not run in the "
                    + "shadow database, so it is not kept in " + ctx.display(ctx.folder()) + " (nothing was changed on " + url
                    + "). The draft stays at " + ctx.display(draft) + " for you to read and fix; please report it with "
                    + "the failure:\n" + e.getMessage());
            return 1;
        }
        List<Difference> left = SchemaDiff.compare(database, shadow.snapshot(only));
        long provenMs = (System.nanoTime() - started) / 1_000_000;
        List<String> missing = new ArrayList<>(script.unwritten());
        for (Difference d : left) {
            String line = d.kind() + " " + d.key().qualified();
            if (missing.stream().noneMatch(m -> m.startsWith(line + ":"))) {
                missing.add(line + ": " + d.change().label() + " after this file (pgshift wrote it wrongly; change it by hand)");
            }
        }
        String text = text(name, missing, true, script);
        Files.delete(draft);
        try (var leftover = Files.list(drafts)) {
            if (leftover.findAny().isEmpty()) {
                Files.delete(drafts);
            }
        }
        Path kept = NewCommand.create(ctx.folder(), name, Clock.systemUTC(), text);
        String version = MigrationFile.parse(kept).orElseThrow().version();
        StringBuilder out = new StringBuilder("Wrote ").append(ctx.display(kept)).append(": ").append(script.statements())
                .append(" statement(s) for ").append(differences.size()).append(" difference(s) between ").append(url)
                .append(" and what its ").append(applied).append(" applied migration(s) make (").append(timing)
                .append("; replayed into the shadow in ").append(provenMs).append(" ms).");
        if (missing.isEmpty()) {
            out.append("\nProven: the applied migrations and this file, replayed into the shadow database, make exactly the "
                    + "database's schema. The database has what it makes already: record it there with mark-applied ")
                    .append(version).append(" (it checks the schema first), so that apply does not run it again.");
            ctx.console().println(out.toString());
            return 0;
        }
        out.append("\nNot complete: ").append(missing.size()).append(" difference(s) are not in it (listed at its top too); "
                + "write them into it by hand, then check with dry-run and diff:");
        missing.forEach(m -> out.append("\n  ").append(m));
        ctx.console().println(out.toString());
        return 1;
    }

    private String text(String name, List<String> missing, boolean proven, DdlWriter.Script script) {
        StringBuilder text = new StringBuilder("-- ").append(name.replace('_', ' ')).append('\n')
                .append("-- Written by pgshift diff --write on ").append(WHEN.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append(": what turns the schema the ").append(applied).append(" applied migration(s) make into the schema of\n-- ")
                .append(ctx.url().masked()).append(".\n");
        if (!missing.isEmpty()) {
            text.append("-- NOT COMPLETE: pgshift could not write these ").append(missing.size())
                    .append(" difference(s); write them here by hand:\n");
            missing.forEach(m -> text.append("--   ").append(m.replace("\n", " ")).append('\n'));
        }
        text.append(proven ? missing.isEmpty() ? "-- Proven by replay: the applied migrations and this file make the database's schema.\n" : ""
                : "-- A draft, not proven: it did not run in the shadow database.\n");
        return text.append('\n').append(script.sql()).toString();
    }
}
