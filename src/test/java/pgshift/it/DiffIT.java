package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** diff: the applied migrations replayed into a shadow database, compared object by object with the database. */
class DiffIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @BeforeAll
    static void aRoleToGrantTo() throws Exception {
        RichHistory.createRole();
    }

    /** A history with every kind of object diff compares, applied by pgshift. */
    private void richHistoryApplied() throws Exception {
        RichHistory.write(db);
        Cli.Result applied = db.pgshift("apply");
        assertThat(applied.code()).as(applied.all()).isZero();
    }

    @Test
    void aHistoryAppliedByPgshiftShowsNoDifferenceAndItsShadowIsDropped() throws Exception {
        richHistoryApplied();
        List<String> before = ShadowDatabases.names();

        Cli.Result r = db.pgshift("diff", "--check");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).startsWith("Building the shadow database: 0/5 migrations... (pgshift_shadow_");
        assertThat(r.out()).contains("No differences: " + db.url().masked() + " has the schema its 5 applied migration(s) make");
        assertThat(ShadowDatabases.names()).isEqualTo(before);
        Cli.Result json = db.pgshift("diff", "--json");
        assertThat(json.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"differences\":[]}\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            create table handmade (id int primary key, name text default 'x'); comment on table handmade is 'by hand' | table      | handmade              | only in database
            alter table accounts drop column note                                                    | column     | accounts.note         | only in migrations
            alter table accounts alter column created set default '2026-01-01'                       | column     | accounts.created      | differs
            create or replace function touch() returns trigger language plpgsql as $$ begin return new; end $$ | function | touch() | differs
            create policy extra on accounts for insert with check (true)                             | policy     | accounts.extra        | only in database
            drop index accounts_created                                                              | index      | accounts_created      | only in migrations
            revoke select, insert on accounts from pgshift_diff_reader                               | grant      | table accounts to pgshift_diff_reader | only in migrations
            revoke insert on accounts from pgshift_diff_reader                                       | grant      | table accounts to pgshift_diff_reader | differs
            create extension hstore                                                                  | extension  | hstore                | only in database
            comment on column accounts.nick is 'what friends say'                                    | comment    | column accounts.nick  | only in database
            alter default privileges in schema public grant select on tables to pgshift_diff_reader | default privileges | on tables to pgshift_diff_reader | only in database
            alter publication realtime drop table accounts                                           | publication | accounts in realtime | only in migrations
            """)
    void aPlantedDriftIsFoundExactlyAndNothingElse(String drift, String kind, String name, String change) throws Exception {
        richHistoryApplied();
        db.execute(drift);

        Cli.Result r = db.pgshift("diff", "--json");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("{\"database\":\"" + db.url().masked() + "\",\"differences\":[\n"
                + "{\"kind\":\"" + kind + "\",\"schema\":\"public\",\"name\":\"" + name + "\",\"change\":\"" + change + "\"}\n"
                + "]}\n");
        Cli.Result check = db.pgshift("diff", "--check");
        assertThat(check.code()).as(check.all()).isEqualTo(1);
        assertThat(check.out()).contains("public." + name).contains(change)
                .contains("1 difference(s) between " + db.url().masked() + " and what its 5 applied migration(s) make");
    }

    @Test
    void aChangedDefinitionIsShownAsALineDiff() throws Exception {
        richHistoryApplied();
        db.execute("create or replace function touch() returns trigger language plpgsql as $$\nbegin\n  return new;\nend $$");

        Cli.Result r = db.pgshift("diff");

        assertThat(r.out()).contains("function public.touch() (- as the migrations make it, + as it is in the database):")
                .contains("-   new.created := now();").doesNotContain("+   new.created");
    }

    @Test
    void columnOrderAndGeneratedConstraintNamesAreNoDrift() throws Exception {
        db.write("1_orders.sql", "create table orders (id int primary key, total numeric check (total >= 0), note text);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        // The same table made by hand with its columns in another order: the same schema.
        db.execute("drop table orders; create table orders (note text, total numeric check (total >= 0), id int primary key)");

        Cli.Result r = db.pgshift("diff", "--check");

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("No differences");
    }
}
