package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.config.DatabaseUrl;
import pgshift.db.EmbeddedServer;
import pgshift.db.SupabaseBase;
import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/**
 * A Supabase project on the embedded default: the Supabase base makes its migrations (auth.users,
 * auth.uid() in policies, storage.objects, TO authenticated, extensions) apply on a fresh
 * database; it is never put on a configured database; the project is found from its subfolders.
 */
class SupabaseProjectIT {

    private static final String USER_A = "00000000-0000-0000-0000-00000000000a";
    private static final String USER_B = "00000000-0000-0000-0000-00000000000b";

    /** What public Supabase apps' first migrations do. */
    private static final String INIT = """
            create table public.profiles (
              id uuid primary key references auth.users (id) on delete cascade,
              handle text not null,
              token uuid not null default extensions.uuid_generate_v4(),
              other uuid not null default uuid_generate_v4(),
              salt text not null default gen_salt('bf'),
              created uuid not null default gen_random_uuid()
            );
            alter table public.profiles enable row level security;
            create policy "own profile" on public.profiles for select to authenticated using (auth.uid() = id);
            grant select on public.profiles to anon;
            insert into storage.buckets (id, name, public) values ('avatars', 'avatars', false);
            create policy "own avatar folder" on storage.objects for insert to authenticated
              with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = auth.uid()::text);
            alter publication supabase_realtime add table public.profiles;
            """;
    private static final String USERS = """
            insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                    raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
            values ('00000000-0000-0000-0000-000000000000', '%s', 'authenticated', 'authenticated', 'a@example.com',
                    crypt('password', gen_salt('bf')), now(), '{"provider":"email"}', '{}', now(), now()),
                   ('00000000-0000-0000-0000-000000000000', '%s', 'authenticated', 'authenticated', 'b@example.com',
                    crypt('password', gen_salt('bf')), now(), '{"provider":"email"}', '{}', now(), now());
            insert into public.profiles (id, handle) values ('%s', 'a'), ('%s', 'b');
            """.formatted(USER_A, USER_B, USER_A, USER_B);

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** A Supabase-layout project in the test's folder (no migrations/ beside supabase/). */
    private Path supabaseProject() throws IOException {
        Path root = db.workDir();
        Files.delete(db.folder());
        Path migrations = Files.createDirectories(root.resolve("supabase/migrations"));
        Files.writeString(root.resolve("supabase/config.toml"), "project_id = \"demo\"\n");
        Files.writeString(migrations.resolve("20240101000000_init.sql"), INIT);
        Files.writeString(migrations.resolve("20240102000000_users.sql"), USERS);
        Files.createDirectories(root.resolve("src/app"));
        return root;
    }

    @Test
    void aSupabaseProjectAppliesOnAFreshEmbeddedDatabaseFromItsSubfolders() throws Exception {
        Path root = supabaseProject();

        Cli.Result apply = Cli.run(root.resolve("supabase"), "apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.err()).containsOnlyOnce("Using the project in " + root + " (it holds supabase/)")
                .containsOnlyOnce("Supabase project: gave the embedded database what Supabase's migrations expect");
        assertThat(apply.out()).contains("Applied 2 migration(s)");

        Cli.Result status = Cli.run(root.resolve("src/app"), "status", "--check");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.err()).containsOnlyOnce("Using the project in " + root)
                .as("the base is made once").doesNotContain("Supabase project: gave");
        assertThat(status.out()).containsPattern("20240102000000 +users +applied");

        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals(".pgshift")).toList())
                    .as("one embedded database, at the root").containsExactly(root.resolve(".pgshift"));
        }
        try (EmbeddedServer server = EmbeddedServer.start(root.resolve(".pgshift"));
             Connection conn = connect(server.url())) {
            assertThat(rows(conn, "select handle from public.profiles order by handle")).containsExactly("a", "b");
            assertThat(rows(conn, "select tablename from pg_publication_tables where pubname = 'supabase_realtime'"))
                    .containsExactly("profiles");
            assertThat(rows(conn, "select has_table_privilege('anon', 'public.profiles', 'select')")).containsExactly("t");
            assertSignedInUserSeesOnlyOwnRow(conn);
        }
    }

    @Test
    void diffReplaysASupabaseProjectOnAShadowWithTheBaseAndFindsAPolicyChangedByHand() throws Exception {
        Path root = supabaseProject();
        assertThat(Cli.run(root, "apply").code()).isZero();

        Cli.Result clean = Cli.run(root, "diff", "--check");
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(clean.all()).contains("Building the shadow database: 0/2 migrations");

        Cli.Result changed = Cli.run(root, "sql", "--write", "alter policy \"own profile\" on public.profiles using (true)");
        assertThat(changed.code()).as(changed.toString()).isZero();
        Cli.Result drift = Cli.run(root, "diff", "--json", "--check");

        assertThat(drift.code()).as(drift.toString()).isEqualTo(1);
        assertThat(drift.out()).contains("{\"kind\":\"policy\",\"schema\":\"public\",\"name\":\"profiles.own profile\","
                + "\"change\":\"differs\"}");

        // Captured as a migration (TO authenticated, auth.uid() and all), proven on the shadow with the base.
        Cli.Result write = Cli.run(root, "diff", "--write", "open profiles");
        assertThat(write.code()).as(write.toString()).isZero();
        Path written;
        try (var files = Files.list(root.resolve("supabase/migrations"))) {
            written = files.filter(f -> f.toString().endsWith("_open_profiles.sql")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(written)).contains("DROP POLICY \"own profile\" ON public.profiles;")
                .contains("CREATE POLICY \"own profile\" ON public.profiles");
        String version = written.getFileName().toString().split("_")[0];
        assertThat(Cli.run(root, "mark-applied", version).code()).isZero();
        Cli.Result after = Cli.run(root, "diff", "--check");
        assertThat(after.code()).as(after.toString()).isZero();
    }

    /** The policy TO authenticated with auth.uid(), as PostgREST runs a request: role and claims set. */
    private static void assertSignedInUserSeesOnlyOwnRow(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("begin");
            st.execute("select set_config('request.jwt.claims', '{\"sub\":\"" + USER_B
                    + "\",\"role\":\"authenticated\",\"email\":\"b@example.com\"}', true)");
            st.execute("set local role authenticated");
            assertThat(rows(conn, "select handle from public.profiles")).containsExactly("b");
            assertThat(rows(conn, "select auth.uid()::text || ' ' || auth.role() || ' ' || auth.email() || ' ' "
                    + "|| (auth.jwt() ->> 'role')")).containsExactly(USER_B + " authenticated b@example.com authenticated");
            st.execute("insert into storage.objects (bucket_id, name) values ('avatars', '" + USER_B + "/me.png')");
            st.execute("savepoint other_folder");
            try {
                st.execute("insert into storage.objects (bucket_id, name) values ('avatars', '" + USER_A + "/me.png')");
                throw new AssertionError("the storage policy let user b write into user a's folder");
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
            }
            st.execute("rollback");
        }
    }

    @Test
    void theBaseTwiceIsHarmlessAndItsFunctionsReadTheRequest() throws Exception {
        try (Connection conn = TestPostgres.connect(db.url())) {
            assertThat(SupabaseBase.installed(conn)).isFalse();
            SupabaseBase.install(conn);
            assertThat(SupabaseBase.installed(conn)).isTrue();
            String once = db.snapshot() + rows(conn, "select rolname from pg_roles order by 1")
                    + rows(conn, "select setconfig::text from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase "
                    + "where d.datname = current_database()");
            SupabaseBase.install(conn);
            String twice = db.snapshot() + rows(conn, "select rolname from pg_roles order by 1")
                    + rows(conn, "select setconfig::text from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase "
                    + "where d.datname = current_database()");
            assertThat(twice).isEqualTo(once).contains("search_path=\\\"$user\\\", public, extensions");
            assertThat(conn.getAutoCommit()).as("the connection's mode is kept").isTrue();
        }
        try (Connection conn = TestPostgres.connect(db.url()); Statement st = conn.createStatement()) {
            assertThat(rows(conn, "select gen_random_bytes(4) is not null, uuid_generate_v4() is not null"))
                    .as("extensions on the database's search_path").containsExactly("t");
            assertThat(rows(conn, "select auth.uid() is null and auth.jwt() is null")).as("outside a request").containsExactly("t");
            st.execute("select set_config('request.jwt.claim.sub', '" + USER_A + "', false)");
            assertThat(rows(conn, "select auth.uid()::text")).as("older PostgREST's setting").containsExactly(USER_A);
            assertThat(rows(conn, "select array_to_string(storage.foldername('a/b/c.tar.gz'), ',') || ' ' "
                    + "|| storage.filename('a/b/c.tar.gz') || ' ' || storage.extension('a/b/c.tar.gz') || ' [' "
                    + "|| storage.extension('a/README') || ']'")).containsExactly("a,b c.tar.gz gz []");
            assertThat(rows(conn, "select string_agg(column_name, ',' order by column_name) from information_schema.columns "
                    + "where table_schema = 'auth' and table_name = 'users' and column_name in ('instance_id', 'aud', "
                    + "'encrypted_password', 'email_confirmed_at', 'raw_app_meta_data', 'raw_user_meta_data', 'is_anonymous')"))
                    .containsExactly("aud,email_confirmed_at,encrypted_password,instance_id,is_anonymous,raw_app_meta_data,raw_user_meta_data");
        }
    }

    @Test
    void aConfiguredDatabaseNeverGetsTheBase() throws Exception {
        Path root = supabaseProject();

        Cli.Result apply = Cli.run(root.resolve("src/app"), "--database-url", db.urlString(), "apply");
        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("20240101000000_init.sql").contains("schema \"extensions\" does not exist (SQLSTATE 3F000)")
                .doesNotContain("Supabase project: gave");
        assertThat(db.value("select count(*) from pg_namespace where nspname in ('auth', 'storage', 'extensions')"))
                .isEqualTo("0");
        assertThat(db.value("select count(*) from pg_publication")).isEqualTo("0");
    }

    @Test
    void anExtensionTheServerLacksSaysWhichAndWhereToFindIt() throws Exception {
        db.write("1_vector.sql", "create extension vector;\n");

        Cli.Result apply = db.pgshift("apply");
        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("1_vector.sql:1:1")
                .contains("This PostgreSQL server does not have the extension vector installed")
                .contains("Point DATABASE_URL at a server that has vector")
                .contains("supabase start").contains("DATABASE_URL (postgresql://postgres@127.0.0.1:54322/postgres, with the password supabase status shows)");
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
    }

    private static List<String> rows(Connection conn, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
