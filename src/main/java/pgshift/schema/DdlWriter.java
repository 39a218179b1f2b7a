package pgshift.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import pgshift.schema.SchemaObject.Ddl;
import pgshift.schema.SchemaObject.Step;

/**
 * Writes the DDL that turns the schema the migrations make into the database's, from the
 * differences between their two snapshots: what is only in the database is made (with all that
 * belongs to it), what is only in the migrations is dropped, what differs is changed in place
 * where PostgreSQL can (ALTER COLUMN, CREATE OR REPLACE, ADD VALUE), else dropped and made again.
 * Drops come first, deepest object first; then everything is made in {@link Step} order, so that
 * what an object needs exists before it. What it cannot write is listed, never guessed.
 */
public final class DdlWriter {

    /**
     * The script and what it could not write.
     *
     * @param sql        the statements, each ending with a semicolon, or empty when there are none
     * @param statements how many statements it holds
     * @param unwritten  one line per difference it could not write ("table public.x: why")
     */
    public record Script(String sql, int statements, List<String> unwritten) {
    }

    private record Statement(Step step, String sql) {
    }

    private final SchemaSnapshot database;
    private final Map<SchemaObject.Key, List<SchemaObject>> children = new HashMap<>();
    private final List<Statement> drops = new ArrayList<>();
    private final List<Statement> makes = new ArrayList<>();
    private final List<String> unwritten = new ArrayList<>();

    private final SchemaSnapshot migrations;
    /** What is made with everything that belongs to it, or dropped and made again: its differences are written. */
    private final java.util.Set<SchemaObject.Key> done = new java.util.HashSet<>();

    private DdlWriter(SchemaSnapshot database, SchemaSnapshot migrations) {
        this.database = database;
        this.migrations = migrations;
        for (SchemaObject o : database.objects().values()) {
            if (o.parent() != null) {
                children.computeIfAbsent(o.parent(), k -> new ArrayList<>()).add(o);
            }
        }
    }

    /** The script for {@code differences} (from {@link SchemaDiff#compare}) between these two snapshots. */
    public static Script write(List<Difference> differences, SchemaSnapshot database, SchemaSnapshot migrations) {
        DdlWriter writer = new DdlWriter(database, migrations);
        writer.rebuild(differences);
        List<Difference> ordered = new ArrayList<>(differences);
        // What is made whole first: an object that moved to it (a renamed table's index) is then made with it.
        ordered.sort(Comparator.comparing(d -> d.change() != Difference.Change.ONLY_IN_DATABASE));
        for (Difference d : ordered) {
            if (writer.done.contains(d.key())) {
                continue;
            }
            SchemaObject inDatabase = database.objects().get(d.key());
            SchemaObject inMigrations = migrations.objects().get(d.key());
            switch (d.change()) {
                case ONLY_IN_DATABASE -> writer.make(inDatabase);
                case ONLY_IN_MIGRATIONS -> writer.drop(inMigrations);
                case DIFFERS -> writer.change(inDatabase, inMigrations);
            }
        }
        return writer.script();
    }

    /**
     * Drops and makes again what cannot be changed in place (a function whose arguments or result
     * changed, a materialized view), and first of all what stands in the way of a drop or an
     * ALTER: the views, policies and triggers that read a table or view being dropped, a column
     * whose type changes, or a function being dropped; then what reads those views, and so on.
     * An object in the way is found by its name in its definition (the server prints names
     * schema-qualified here); one found wrongly is only made again as it is.
     */
    private void rebuild(List<Difference> differences) {
        List<SchemaObject> replaced = new ArrayList<>();
        java.util.Deque<String> names = new java.util.ArrayDeque<>();
        for (Difference d : differences) {
            SchemaObject was = migrations.objects().get(d.key());
            SchemaObject now = database.objects().get(d.key());
            String kind = d.key().kind();
            if (d.change() == Difference.Change.ONLY_IN_MIGRATIONS && (kind.equals("table") || kind.equals("view"))) {
                names.add(relation(was));
            } else if (d.change() == Difference.Change.ONLY_IN_MIGRATIONS && kind.equals("function")) {
                names.add(function(was)); // also one whose arguments were renamed: a new key
            } else if (d.change() == Difference.Change.DIFFERS && kind.equals("column") && !inherited(now)
                    && (!Objects.equals(now.ddl().part("type"), was.ddl().part("type"))
                    || !Objects.equals(now.ddl().part("collate"), was.ddl().part("collate")))) {
                names.add(was.ddl().part("table"));
                String column = was.ddl().part("name");
                for (SchemaObject policy : migrations.objects().values()) {
                    if (policy.key().kind().equals("policy") && Objects.equals(policy.parent(), was.parent())
                            && mentions(policy.definition(), column)) {
                        replaced.add(policy);
                    }
                }
            } else if (d.change() == Difference.Change.DIFFERS && kind.equals("function") && now.ddl().create() != null
                    && !header(now).equals(header(was))) {
                replaced.add(was);
                names.add(function(was));
            } else if (d.change() == Difference.Change.DIFFERS && kind.equals("view")
                    && (now.ddl().part("replace") == null || was.ddl().part("replace") == null)) {
                replaced.add(was);
                names.add(relation(was));
            }
        }
        java.util.Set<SchemaObject.Key> seen = new java.util.HashSet<>();
        replaced.forEach(o -> seen.add(o.key()));
        while (!names.isEmpty()) {
            String name = names.poll();
            for (SchemaObject o : migrations.objects().values()) {
                String kind = o.key().kind();
                boolean reads = switch (kind) {
                    case "view", "policy" -> mentions(o.definition(), name);
                    case "trigger" -> name.endsWith("(") && mentions(o.definition(), name);
                    default -> false;
                };
                if (reads && database.objects().containsKey(o.key()) && seen.add(o.key())) {
                    replaced.add(o);
                    if (kind.equals("view")) {
                        names.add(relation(o));
                    }
                }
            }
        }
        for (int i = replaced.size() - 1; i >= 0; i--) { // what reads another is dropped before it
            SchemaObject was = replaced.get(i);
            if (database.objects().containsKey(was.key())) {
                drops.add(new Statement(was.ddl().step(), was.ddl().drop()));
            }
        }
        for (SchemaObject was : replaced) {
            SchemaObject now = database.objects().get(was.key());
            if (now != null) {
                make(now);
            }
        }
    }

    /** A table's or a view's name as definitions print it ("public.orders"). */
    private static String relation(SchemaObject o) {
        return o.ddl().ref().replaceFirst("^(FOREIGN |MATERIALIZED )?(TABLE|VIEW) ", "");
    }

    /** A routine's name as a call prints it ("public.order_total("). */
    private static String function(SchemaObject o) {
        return o.ddl().ref().replaceFirst("^[A-Z]+ ", "").replaceFirst("\\(.*$", "(");
    }

    /** A function's definition up to its body: its name, arguments and result. */
    private static String header(SchemaObject function) {
        String def = function.definition();
        int body = def.indexOf("\n AS ");
        if (body < 0) {
            body = def.indexOf("\nAS ");
        }
        return (body < 0 ? def : def.substring(0, body)).lines()
                .filter(l -> l.startsWith("CREATE") || l.startsWith(" RETURNS")).reduce("", String::concat);
    }

    /** Whether {@code text} holds {@code name} as a whole name (not as part of a longer one). */
    static boolean mentions(String text, String name) {
        int at = text.indexOf(name);
        while (at >= 0) {
            int end = at + name.length();
            boolean before = at == 0 || !namePart(text.charAt(at - 1)) && text.charAt(at - 1) != '.';
            boolean after = name.endsWith("(") || end == text.length() || !namePart(text.charAt(end));
            if (before && after) {
                return true;
            }
            at = text.indexOf(name, at + 1);
        }
        return false;
    }

    private static boolean namePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"';
    }

    private Script script() {
        List<Statement> ordered = new ArrayList<>(drops);
        ordered.sort(Comparator.comparing((Statement s) -> s.step()).reversed()); // stable: same step keeps its order
        List<Statement> made = new ArrayList<>(makes);
        made.sort(Comparator.comparing(Statement::step));
        ordered.addAll(inOrder(inOrder(made, Step.VIEW, DdlWriter::readsView), Step.TABLE, DdlWriter::partitionOf));
        StringBuilder sql = new StringBuilder();
        if (made.stream().anyMatch(s -> s.step() == Step.FUNCTION)) {
            // As pg_dump does: a SQL function's body may name a table that is made further down.
            sql.append("SET LOCAL check_function_bodies = off;\n\n");
        }
        Step last = null;
        for (Statement s : ordered) {
            if (last != null && s.step() != last) {
                sql.append('\n');
            }
            sql.append(s.sql()).append('\n');
            last = s.step();
        }
        return new Script(sql.toString(), ordered.size(), List.copyOf(unwritten));
    }

    /**
     * The statements with those of one step put after those they need, keeping their order
     * otherwise: a view after the views it reads (a view made later in the database may read one
     * made earlier), a partition after its parent.
     */
    private static List<Statement> inOrder(List<Statement> made, Step step, java.util.function.BiPredicate<Statement, Statement> needs) {
        List<Statement> of = made.stream().filter(s -> s.step() == step).toList();
        if (of.size() < 2) {
            return made;
        }
        List<Statement> sorted = new ArrayList<>();
        List<Statement> left = new ArrayList<>(of);
        while (!left.isEmpty()) {
            Statement next = left.stream().filter(v -> left.stream().noneMatch(o -> o != v && needs.test(v, o)))
                    .findFirst().orElse(left.get(0)); // a cycle cannot be made anyway: keep the order
            sorted.add(next);
            left.remove(next);
        }
        List<Statement> out = new ArrayList<>();
        boolean placed = false;
        for (Statement s : made) {
            if (s.step() != step) {
                out.add(s);
            } else if (!placed) {
                out.addAll(sorted);
                placed = true;
            }
        }
        return out;
    }

    /** Whether view statement {@code v} names the view {@code o} makes ("CREATE VIEW public.o AS" → "public.o"). */
    private static boolean readsView(Statement v, Statement o) {
        String head = o.sql().substring(0, o.sql().indexOf(" AS\n"));
        String name = head.replaceFirst("^CREATE (OR REPLACE )?(MATERIALIZED )?VIEW ", "").replaceFirst(" WITH \\(.*$", "");
        String body = v.sql().substring(v.sql().indexOf(" AS\n"));
        return mentions(body, name);
    }

    /** Whether table statement {@code t} makes a partition of the table {@code o} makes. */
    private static boolean partitionOf(Statement t, Statement o) {
        java.util.regex.Matcher parent = PARTITION_OF.matcher(t.sql());
        java.util.regex.Matcher made = CREATE_TABLE.matcher(o.sql());
        return parent.find() && made.find() && parent.group(1).equals(made.group(1));
    }

    /** A schema-qualified name as quote_ident writes it: "a b"."c""d" or plain.name. */
    private static final String QUALIFIED = "((?:\"(?:[^\"]|\"\")*\"|[^\\s\".(]+)\\.(?:\"(?:[^\"]|\"\")*\"|[^\\s\".(]+))";
    private static final java.util.regex.Pattern PARTITION_OF = java.util.regex.Pattern.compile(" PARTITION OF " + QUALIFIED + " ");
    private static final java.util.regex.Pattern CREATE_TABLE = java.util.regex.Pattern.compile("^CREATE (?:UNLOGGED )?TABLE " + QUALIFIED);

    private void unwritten(SchemaObject o, String why) {
        unwritten.add(o.key().kind() + " " + o.key().qualified() + ": " + why);
    }

    private static boolean inherited(SchemaObject o) {
        return "true".equals(o.ddl().part("inherited"));
    }

    /** Makes {@code o} and everything that belongs to it. */
    private void make(SchemaObject o) {
        done.add(o.key());
        if (inherited(o)) {
            return; // a partition's copy of its parent's column, index, constraint or trigger: made with the partition
        }
        Ddl ddl = o.ddl();
        if (o.key().kind().equals("table") && ddl.create() == null && ddl.parts().containsKey("rls")) {
            makes.add(new Statement(Step.TABLE, createTable(o)));
        } else if (ddl.create() == null) {
            unwritten(o, "pgshift cannot write the SQL that makes it (" + o.definition().lines().findFirst().orElse("")
                    + "); make it by hand");
            return;
        } else {
            boolean onView = o.parent() != null && o.parent().kind().equals("view");
            makes.add(new Statement(onView && ddl.step() == Step.INDEX ? Step.VIEW_INDEX : ddl.step(), ddl.create()));
            String owned = ddl.part("owned by");
            if (owned != null && !owned.endsWith("OWNED BY NONE;")) {
                makes.add(new Statement(Step.OWNED_BY, owned));
            }
        }
        // A function or a type is made with EXECUTE or USAGE for PUBLIC, as the server does.
        String publicDefault = switch (o.key().kind()) {
            case "function" -> "EXECUTE";
            case "type" -> "USAGE";
            default -> null;
        };
        SchemaObject.Key toPublic = new SchemaObject.Key("grant", o.key().schema(), o.key().kind() + " " + o.key().name() + " to PUBLIC");
        SchemaObject publicGrant = database.objects().get(toPublic);
        if (publicDefault != null && publicGrant == null) {
            makes.add(new Statement(Step.GRANT, "REVOKE ALL ON " + ddl.ref() + " FROM PUBLIC;"));
        }
        for (SchemaObject child : children.getOrDefault(o.key(), List.of())) {
            if (child == publicGrant && publicGrant.definition().equals(publicDefault)) {
                continue; // the default one: made with it
            }
            if (child.key().kind().equals("column") && ddl.step() == Step.TABLE) {
                // In the CREATE TABLE; what belongs to the column (its comment, its grants) is made here.
                children.getOrDefault(child.key(), List.of()).forEach(this::make);
            } else {
                make(child);
            }
        }
    }

    /** CREATE TABLE with its own columns, or PARTITION OF its parent, then its row level security. */
    private String createTable(SchemaObject table) {
        Ddl ddl = table.ddl();
        String name = relation(table);
        StringBuilder sql = new StringBuilder("CREATE ").append("true".equals(ddl.part("unlogged")) ? "UNLOGGED " : "")
                .append("TABLE ").append(name);
        String partitionOf = ddl.part("partition of");
        if (partitionOf != null) {
            sql.append(" PARTITION OF ").append(partitionOf);
        } else {
            List<String> columns = children.getOrDefault(table.key(), List.of()).stream()
                    .filter(c -> c.key().kind().equals("column") && !inherited(c))
                    .map(c -> "    " + c.ddl().part("column")).toList();
            sql.append(" (\n").append(String.join(",\n", columns)).append(columns.isEmpty() ? ")" : "\n)");
        }
        if (ddl.part("partition by") != null) {
            sql.append(" PARTITION BY ").append(ddl.part("partition by"));
        }
        if (ddl.part("options") != null) {
            sql.append(" WITH (").append(ddl.part("options")).append(')');
        }
        sql.append(';');
        if ("true".equals(ddl.part("rls"))) {
            sql.append("\nALTER TABLE ").append(name).append(" ENABLE ROW LEVEL SECURITY;");
        }
        if ("true".equals(ddl.part("force rls"))) {
            sql.append("\nALTER TABLE ").append(name).append(" FORCE ROW LEVEL SECURITY;");
        }
        return sql.toString();
    }

    private void drop(SchemaObject o) {
        if (inherited(o)) {
            return; // goes with its parent's
        }
        String drop = o.ddl().drop();
        if (o.key().kind().equals("sequence")) {
            // A serial column's sequence goes with the column when that is dropped too.
            drop = drop.replaceFirst("^DROP SEQUENCE ", "DROP SEQUENCE IF EXISTS ");
        }
        drops.add(new Statement(o.ddl().step(), drop));
    }

    /** Changes what the migrations make of {@code was} into the database's {@code now}. */
    private void change(SchemaObject now, SchemaObject was) {
        Ddl ddl = now.ddl();
        switch (now.key().kind()) {
            case "comment", "function" -> {
                if (ddl.create() == null) {
                    unwritten(now, "pgshift cannot write an aggregate; change it by hand");
                } else {
                    makes.add(new Statement(ddl.step(), ddl.create())); // COMMENT ON and CREATE OR REPLACE replace it
                }
            }
            case "grant", "default privileges" -> makes.add(new Statement(ddl.step(), was.ddl().drop() + "\n" + ddl.create()));
            case "view" -> {
                if (ddl.part("replace") != null && was.ddl().part("replace") != null) {
                    makes.add(new Statement(Step.VIEW, ddl.part("replace")));
                } else {
                    replace(now, was);
                }
            }
            case "index", "constraint", "trigger", "policy" -> {
                if (!inherited(now)) {
                    replace(now, was);
                }
            }
            case "column" -> column(now, was);
            case "table" -> table(now, was);
            case "publication" -> {
                if (now.key().schema().isEmpty()) { // the publication itself: what it publishes, or all tables
                    makes.add(new Statement(Step.PUBLICATION, "ALTER PUBLICATION " + ddl.ref().substring("PUBLICATION ".length())
                            + " SET (publish = '" + now.definition().replaceFirst("^.*publish ", "") + "');"));
                    if (now.definition().startsWith("for all") != was.definition().startsWith("for all")) {
                        unwritten(now, "it publishes all tables on one side only; change it by hand");
                    }
                } else {
                    replace(now, was);
                }
            }
            case "sequence" -> {
                if (was.parent() != null && was.parent().kind().equals("table")
                        && !database.objects().containsKey(was.parent())) {
                    // Its table is dropped (renamed, as the migrations see it) and takes it along: made again.
                    if (now.parent() == null || !now.parent().kind().equals("table")
                            || migrations.objects().containsKey(now.parent())) {
                        make(now);
                    } // else it is made with its new table
                    return;
                }
                makes.add(new Statement(Step.SEQUENCE, ddl.part("alter")));
                if (!Objects.equals(ddl.part("owned by"), was.ddl().part("owned by"))) {
                    makes.add(new Statement(Step.OWNED_BY, ddl.part("owned by")));
                }
            }
            case "type" -> type(now, was);
            default -> unwritten(now, "pgshift cannot change it in place; change it by hand");
        }
    }

    private void replace(SchemaObject now, SchemaObject was) {
        if (now.ddl().create() == null) {
            unwritten(now, "pgshift cannot write the SQL that makes it; change it by hand");
            return;
        }
        drops.add(new Statement(was.ddl().step(), was.ddl().drop()));
        makes.add(new Statement(now.ddl().step(), now.ddl().create()));
    }

    private void column(SchemaObject now, SchemaObject was) {
        if (inherited(now)) {
            return; // a partition's column follows its parent's
        }
        Ddl n = now.ddl();
        Ddl w = was.ddl();
        if (!Objects.equals(n.part("generated"), w.part("generated"))) {
            unwritten(now, "its generation expression changed (" + w.part("column") + " → " + n.part("column")
                    + "); change it by hand");
            return;
        }
        String alter = "ALTER TABLE " + n.part("table") + " ALTER COLUMN " + n.part("name");
        List<String> sql = new ArrayList<>();
        if (!Objects.equals(n.part("type"), w.part("type")) || !Objects.equals(n.part("collate"), w.part("collate"))) {
            sql.add(alter + " TYPE " + n.part("type") + (n.part("collate") == null ? "" : " COLLATE " + n.part("collate"))
                    + " USING " + n.part("name") + "::" + n.part("type") + ";");
        }
        if (!Objects.equals(n.part("default"), w.part("default"))) {
            sql.add(n.part("default") == null ? alter + " DROP DEFAULT;" : alter + " SET DEFAULT " + n.part("default") + ";");
        }
        boolean identityDropped = w.part("identity") != null && n.part("identity") == null;
        if (!Objects.equals(n.part("not null"), w.part("not null")) && !identityDropped) { // before ADD GENERATED
            sql.add(alter + ("true".equals(n.part("not null")) ? " SET NOT NULL;" : " DROP NOT NULL;"));
        }
        String identity = n.part("identity");
        if (!Objects.equals(identity, w.part("identity"))) {
            if (identity == null) {
                sql.add(alter + " DROP IDENTITY;");
                if ("false".equals(n.part("not null"))) {
                    sql.add(alter + " DROP NOT NULL;");
                }
            } else {
                String how = identity.startsWith("a") ? "ALWAYS" : "BY DEFAULT";
                String options = n.part("column").replaceFirst("(?s)^.* AS IDENTITY ?", "").replaceFirst(" NOT NULL$", "");
                if (w.part("identity") == null) {
                    sql.add(alter + " ADD GENERATED " + how + " AS IDENTITY" + (options.isEmpty() ? "" : " " + options) + ";");
                } else {
                    // "(START WITH 1 INCREMENT BY 1 ...)" as SET clauses of ALTER COLUMN
                    boolean cycle = options.contains(" CYCLE");
                    String set = options.replaceAll("^\\(|\\)$", "").replace(" CYCLE", "").replaceAll(
                            "(START WITH|INCREMENT BY|MINVALUE|MAXVALUE|CACHE) (-?\\d+)", "SET $1 $2");
                    sql.add(alter + " SET GENERATED " + how + " " + set + (cycle ? " SET CYCLE;" : " SET NO CYCLE;"));
                }
            }
        }
        if (!sql.isEmpty()) {
            makes.add(new Statement(Step.COLUMN, String.join("\n", sql)));
        }
    }

    private void table(SchemaObject now, SchemaObject was) {
        Ddl n = now.ddl();
        Ddl w = was.ddl();
        if (!n.parts().containsKey("rls") || !w.parts().containsKey("rls")) {
            unwritten(now, "it is a table on one side and a foreign table on the other; change it by hand");
            return;
        }
        if (!Objects.equals(n.part("partition by"), w.part("partition by"))
                || !Objects.equals(n.part("partition of"), w.part("partition of"))) {
            unwritten(now, "its partitioning changed; pgshift does not move rows between tables: change it by hand");
            return;
        }
        String table = relation(now);
        List<String> sql = new ArrayList<>();
        if (!Objects.equals(n.part("unlogged"), w.part("unlogged"))) {
            sql.add("ALTER TABLE " + table + ("true".equals(n.part("unlogged")) ? " SET UNLOGGED;" : " SET LOGGED;"));
        }
        if (!Objects.equals(n.part("rls"), w.part("rls"))) {
            sql.add("ALTER TABLE " + table + ("true".equals(n.part("rls")) ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY;");
        }
        if (!Objects.equals(n.part("force rls"), w.part("force rls"))) {
            sql.add("ALTER TABLE " + table + ("true".equals(n.part("force rls")) ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;");
        }
        if (!Objects.equals(n.part("options"), w.part("options"))) {
            if (w.part("options") != null) {
                List<String> keys = new ArrayList<>();
                for (String option : w.part("options").split(", ")) {
                    keys.add(option.substring(0, option.indexOf('=')));
                }
                sql.add("ALTER TABLE " + table + " RESET (" + String.join(", ", keys) + ");");
            }
            if (n.part("options") != null) {
                sql.add("ALTER TABLE " + table + " SET (" + n.part("options") + ");");
            }
        }
        makes.add(new Statement(Step.TABLE, String.join("\n", sql)));
    }

    /** An enum that gained labels gets them with ADD VALUE; any other change of a type is listed. */
    private void type(SchemaObject now, SchemaObject was) {
        String labels = now.ddl().part("labels");
        String before = was.ddl().part("labels");
        if (labels == null || before == null) {
            unwritten(now, "pgshift does not change a domain, composite or range type in place; change it by hand");
            return;
        }
        List<String> n = labels.isEmpty() ? List.of() : List.of(labels.split("\n"));
        List<String> w = before.isEmpty() ? List.of() : List.of(before.split("\n"));
        if (!n.containsAll(w) || !n.stream().filter(w::contains).toList().equals(w)) {
            unwritten(now, "labels were removed or reordered, which ALTER TYPE cannot do; change it by hand");
            return;
        }
        String type = now.ddl().ref().substring("TYPE ".length());
        Map<String, String> added = new LinkedHashMap<>();
        for (int i = 0; i < n.size(); i++) {
            if (!w.contains(n.get(i))) {
                added.put(n.get(i), i == 0 ? null : n.get(i - 1));
            }
        }
        List<String> sql = new ArrayList<>();
        String first = n.isEmpty() ? null : n.stream().filter(w::contains).findFirst().orElse(null);
        added.forEach((label, after) -> sql.add("ALTER TYPE " + type + " ADD VALUE " + label
                + (after != null ? " AFTER " + after : first != null ? " BEFORE " + first : "") + ";"));
        makes.add(new Statement(Step.TYPE, String.join("\n", sql)));
    }
}
