package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.ShellSession;

/** verify: each verdict, from a shadow's before and after snapshots compared with the database; its shadow never stays. */
class VerifyIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    static final String ORDERS = "create table orders (id int primary key, at date);\n"
            + "create index orders_at_idx on orders (at);\n";

    @BeforeEach
    void accountsApplied() throws Exception {
        db.write("1_accounts.sql", "create table accounts (id int primary key, status text default 'new');\n");
        assertThat(db.pgshift("apply").code()).isZero();
    }

    @Test
    void aPendingMigrationWhoseObjectsAreAllThereIsAlreadyPresent() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute(ORDERS);
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("migrations/2_orders.sql (pending): already present: every object it makes or "
                        + "changes is in the database as it would leave it\n")
                .contains("  present      table public.orders\n")
                .doesNotContain("orders_at_idx") // the table's own objects go with it
                .contains("  next: mark-applied 2 (records it without running it)")
                .contains("1 verdict(s) disagree with the ledger (exit code 1).");
        assertThat(r.err()).contains("Building the shadow database to verify 1 migration(s)... (pgshift_shadow_");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
    }

    @Test
    void aPendingMigrationWithSomeObjectsThereIsPartlyPresentAndSaysWhich() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute("create table orders (id int primary key, at date)");

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("(pending): partly present: 1 of its 2 object(s) are as it would leave them")
                .contains("  present      table public.orders\n")
                .contains("  missing      index public.orders_at_idx\n")
                .contains("  next: inspect with show 2 and diff; finish or drop the objects listed by hand, then apply 2 "
                        + "or mark-applied 2");
    }

    @Test
    void aPendingMigrationWithNothingThereIsAbsentAndConsistent() throws Exception {
        db.write("2_orders.sql", ORDERS + "alter table accounts alter column status set default 'open';\n");

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("(pending): absent: none of its 2 object(s) is in the database as it would leave it")
                .contains("  missing      table public.orders\n")
                .contains("  unchanged    column public.accounts.status\n")
                .contains("  next: apply 2\n")
                .contains("every verdict agrees with the ledger.");
    }

    @Test
    void aPendingMigrationIsReplayedAfterThePendingOnesBeforeIt() throws Exception {
        db.write("2_orders.sql", "create table orders (id int primary key, at date);\n");
        db.write("3_index.sql", "create index orders_at_idx on orders (at);\n");

        Cli.Result r = db.pgshift("verify", "3");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("3_index.sql (pending): absent").contains("  missing      index public.orders_at_idx\n")
                .doesNotContain("2_orders.sql");
    }

    @Test
    void anAppliedMigrationWhoseObjectsAreThereIsPresent() throws Exception {
        Cli.Result r = db.pgshift("verify", "1");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("1_accounts.sql (applied): present: its 1 object(s) are in the database as the "
                + "migrations leave them").contains("  next: nothing to do");
    }

    @Test
    void anAppliedMigrationWhoseIndexWasDroppedHasItMissing() throws Exception {
        db.write("2_orders.sql", ORDERS);
        assertThat(db.pgshift("apply").code()).isZero();
        db.execute("drop index orders_at_idx");

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("2_orders.sql (applied): missing: 1 of its 2 object(s) are not as the migrations "
                        + "leave them")
                .contains("  present      table public.orders\n").contains("  missing      index public.orders_at_idx\n")
                .contains("  next: inspect with diff and show 2; restore the objects with a new migration (new NAME)");
    }

    @Test
    void anAppliedMigrationWhoseDefaultWasChangedIsDifferent() throws Exception {
        db.execute("alter table accounts alter column status set default 'old'");

        Cli.Result r = db.pgshift("verify", "1");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("1_accounts.sql (applied): different")
                .contains("  different    column public.accounts.status\n");
    }

    @Test
    void aLaterMigrationsChangeIsNotHeldAgainstAnEarlierOne() throws Exception {
        db.write("2_default.sql", "alter table accounts alter column status set default 'open';\n");
        assertThat(db.pgshift("apply").code()).isZero();

        Cli.Result r = db.pgshift("verify", "1", "2");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("1_accounts.sql (applied): present").contains("2_default.sql (applied): present");
    }

    @Test
    void withoutAVersionEveryPendingAndModifiedMigrationIsVerified() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.write("3_notes.sql", "create table notes (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        db.write("2_orders.sql", ORDERS + "create table lines (id int);\n"); // modified after it was applied
        db.write("4_tags.sql", "create table tags (id int);\n");

        Cli.Result r = db.pgshift("verify");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("2_orders.sql (modified): missing").contains("  missing      table public.lines\n")
                .contains("4_tags.sql (pending): absent")
                .doesNotContain("1_accounts.sql").doesNotContain("3_notes.sql")
                .contains("2 migration(s) verified on " + db.url().masked() + ": 1 verdict(s) disagree with the ledger");
        assertThat(r.out().indexOf("2_orders.sql")).isLessThan(r.out().indexOf("4_tags.sql"));
    }

    @Test
    void withNothingPendingOrModifiedThereIsNothingToVerify() throws Exception {
        Cli.Result r = db.pgshift("verify");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Nothing to verify: no migration is pending or modified.");
        assertThat(db.pgshift("verify", "--json").out()).isEqualTo("{\"database\":\"" + db.url().masked()
                + "\",\"migrations\":[]}\n");
    }

    @Test
    void anUnknownVersionIsAUsageError() throws Exception {
        Cli.Result r = db.pgshift("verify", "77");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("77");
    }

    @Test
    void jsonListsEachVerdictWithItsObjectsAndTheNextCommand() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute("create table orders (id int primary key, at date)");

        Cli.Result r = db.pgshift("verify", "--json", "1", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"migrations\":[\n"
                + "{\"version\":\"1\",\"name\":\"accounts\",\"state\":\"applied\",\"verdict\":\"present\","
                + "\"consistent\":true,\"next\":\"nothing to do\",\"objects\":["
                + "{\"kind\":\"table\",\"schema\":\"public\",\"name\":\"accounts\",\"status\":\"present\"}]},\n"
                + "{\"version\":\"2\",\"name\":\"orders\",\"state\":\"pending\",\"verdict\":\"partly present\","
                + "\"consistent\":false,\"next\":\"inspect with show 2 and diff; finish or drop the objects listed by "
                + "hand, then apply 2 or mark-applied 2\",\"objects\":["
                + "{\"kind\":\"table\",\"schema\":\"public\",\"name\":\"orders\",\"status\":\"present\"},"
                + "{\"kind\":\"index\",\"schema\":\"public\",\"name\":\"orders_at_idx\",\"status\":\"missing\"}]}\n"
                + "]}\n");
    }

    @Test
    void aDataOnlyMigrationCannotBeProvenEitherWay() throws Exception {
        db.write("2_seed.sql", "insert into accounts (id) values (1);\n");

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("2_seed.sql (pending): no schema change: it changes no object a schema snapshot "
                + "sees (only data?), so it cannot be proven either way")
                .contains("  next: check its data with sql, then apply 2 or mark-applied 2");
    }

    @Test
    void markAppliedIsRefusedWhenTheObjectsAreAbsent() throws Exception {
        db.write("2_orders.sql", ORDERS);

        Cli.Result r = db.pgshift("mark-applied", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("Refused: the database does not have what 1 of these migration(s) make, so "
                        + "recording them as applied would be untrue; nothing was recorded.")
                .contains("2_orders.sql is absent (missing: table public.orders): run it instead: apply 2")
                .contains("To record them anyway, pass --force.");
        assertThat(db.ledgerVersions()).containsExactly("1");
    }

    @Test
    void markAppliedIsRefusedWhenTheObjectsArePartlyPresentAndNamesThem() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute("create table orders (id int primary key, at date)");
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("mark-applied", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("2_orders.sql is partly present (present: table public.orders; missing: index "
                + "public.orders_at_idx): see verify 2 and diff");
        assertThat(db.ledgerVersions()).containsExactly("1");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
    }

    @Test
    void markAppliedRecordsAMigrationWhoseObjectsArePresent() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute(ORDERS);

        Cli.Result r = db.pgshift("mark-applied", "2");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("  evidence: 2_orders.sql: every object it makes or changes is in the database as "
                + "it would leave it.").contains("marked applied: 2_orders.sql (not executed)");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(db.pgshift("verify", "2").code()).as("now applied and present").isZero();
    }

    @Test
    void markAppliedWithForceRecordsWithoutChecking() throws Exception {
        db.write("2_orders.sql", ORDERS);
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("mark-applied", "2", "--force");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).doesNotContain("shadow");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(ShadowDatabases.names()).isEqualTo(before);
    }

    @Test
    void markAppliedLetsADataOnlyMigrationThroughSayingThereIsNoEvidence() throws Exception {
        db.write("2_seed.sql", "insert into accounts (id) values (1);\n");

        Cli.Result r = db.pgshift("mark-applied", "2");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("  no evidence: 2_seed.sql: it changes no object a schema snapshot sees (only "
                + "data?), so it cannot be proven either way; recorded on your word.");
        assertThat(db.ledgerVersions()).containsExactly("1", "2");
    }

    @Test
    void applyOfATableThatIsAlreadyThereEndsWithTheVerifyHint() throws Exception {
        db.write("2_orders.sql", ORDERS);
        db.execute("create table orders (id int)");

        Cli.Result r = db.pgshift("apply");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("SQLSTATE 42P07")
                .contains("An object this migration makes already exists. When it was made by hand or by another "
                        + "tool, run verify 2 to see, object by object, whether the database has what the file makes "
                        + "(when all of it is there, mark-applied 2 records it without running it); when an earlier "
                        + "migration makes it too, fix this file.")
                .doesNotContain("pgshift verify");
    }

    @Test
    void aMigrationThatFailsToReplayEndsVerifyAndTheShadowIsDropped() throws Exception {
        db.write("2_broken.sql", "insert into nowhere values (1);\n");
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("verify", "2");

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("The migrations do not replay into the shadow database (pgshift_shadow_")
                .contains("so there is no evidence; it is removed, and nothing was changed on " + db.url().masked())
                .contains("then run verify again").contains("2_broken.sql").contains("nowhere");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        assertThat(db.ledgerVersions()).containsExactly("1");
    }

    @Test
    void ctrlCWhileVerifyingStopsTheReplayAndDropsTheShadow() throws Exception {
        db.write("2_slow.sql", "select pg_sleep(60);\n");
        ShadowDatabases.Interrupted stopped = ShadowDatabases.interruptWhileSleeping(db,
                "the slow file running in a shadow database", "verify", "2");
        Cli.Result r = stopped.result();

        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(r.err()).contains("Cancelled while building the shadow database: it is removed; nothing was changed on")
                .doesNotContain("Exception");
        assertThat(ShadowDatabases.names()).doesNotContain(stopped.shadow());
    }

    @Test
    void ctrlCInTheShellStopsMarkAppliedsCheckAndKeepsTheShell() throws Exception {
        db.write("2_slow.sql", "select pg_sleep(60);\n");
        try (ShellSession shell = ShellSession.start(db.workDir(), Map.of("DATABASE_URL", db.urlString()),
                db.workDir().resolve("history"))) {
            shell.awaitPrompt();
            shell.type("mark-applied 2\n");
            String shadow = ShadowDatabases.awaitRunningSleep("the slow file running in a shadow database");
            shell.interrupt();
            String out = shell.awaitOutput("> ");

            assertThat(out).contains("Cancelled while building the shadow database: it is removed").doesNotContain("\tat ");
            assertThat(ShadowDatabases.names()).as(out).doesNotContain(shadow);
            assertThat(shell.run("status")).contains("1 applied");
        }
        assertThat(db.ledgerVersions()).containsExactly("1");
    }
}
