package pgshift.schema;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import pgshift.schema.SchemaObject.Ddl;
import pgshift.schema.SchemaObject.Step;

/**
 * Turns the rows of the {@link Catalog} queries into {@link SchemaObject}s, with their comments
 * and grants, and with each one the SQL that makes it (for {@link DdlWriter}).
 */
final class CatalogReader {

    static final List<SchemaSnapshot.Family> FAMILIES = List.of(
            new SchemaSnapshot.Family(Catalog.SCHEMAS, CatalogReader::schema),
            new SchemaSnapshot.Family(Catalog.EXTENSIONS, CatalogReader::extension),
            new SchemaSnapshot.Family(Catalog.RELATIONS, CatalogReader::relation),
            new SchemaSnapshot.Family(Catalog.COLUMNS, CatalogReader::column),
            new SchemaSnapshot.Family(Catalog.CONSTRAINTS, CatalogReader::constraint),
            new SchemaSnapshot.Family(Catalog.INDEXES, CatalogReader::index),
            new SchemaSnapshot.Family(Catalog.ROUTINES, CatalogReader::routine),
            new SchemaSnapshot.Family(Catalog.TRIGGERS, CatalogReader::trigger),
            new SchemaSnapshot.Family(Catalog.POLICIES, CatalogReader::policy),
            new SchemaSnapshot.Family(Catalog.TYPES, CatalogReader::type),
            new SchemaSnapshot.Family(Catalog.DEFAULT_PRIVILEGES, CatalogReader::defaultPrivileges),
            new SchemaSnapshot.Family(Catalog.PUBLICATIONS, CatalogReader::publication),
            new SchemaSnapshot.Family(Catalog.PUBLISHED, CatalogReader::published));

    /** What pg_sequence's row reads as in a definition (see {@link Catalog#RELATIONS}). */
    private static final Pattern SEQUENCE = Pattern.compile(
            "(?s)(.*) start (-?\\d+) increment (-?\\d+) minvalue (-?\\d+) maxvalue (-?\\d+) cache (\\d+)( cycle)?");

    private final Map<SchemaObject.Key, SchemaObject> objects = new LinkedHashMap<>();
    private final Sql sql;

    CatalogReader(Sql sql) {
        this.sql = sql;
    }

    Map<SchemaObject.Key, SchemaObject> objects() {
        return objects;
    }

    private SchemaObject.Key add(String kind, String schema, String name, String definition, SchemaObject.Key parent,
                                 Ddl ddl) {
        SchemaObject o = new SchemaObject(new SchemaObject.Key(kind, schema, name), definition, parent, ddl);
        objects.put(o.key(), o);
        return o.key();
    }

    private static Ddl ddl(String ref, String create, String drop, Step step) {
        return new Ddl(ref, create, drop, step, Map.of());
    }

    /** The object's comment, as an object of its own ("comment", "table orders"), when it has one. */
    private void comment(SchemaObject.Key of, String text) {
        if (text != null) {
            String ref = objects.get(of).ddl().ref();
            add("comment", of.schema(), of.kind() + " " + of.name(), text, of, ddl(ref,
                    "COMMENT ON " + ref + " IS " + Sql.literal(text) + ";", "COMMENT ON " + ref + " IS NULL;", Step.COMMENT));
        }
    }

    /**
     * One grant object per grantee ("grant", "table orders to app_user"), from "grantee=PRIV, PRIV;...";
     * {@code on} is what GRANT names ("TABLE public.orders"), {@code column} the column's name for a column's grant.
     */
    private void grants(SchemaObject.Key of, String grants, String on, String column) {
        for (Grantee g : grantees(grants, "", " ON " + on, column)) {
            add("grant", of.schema(), of.kind() + " " + of.name() + " to " + g.name(), g.privileges(), of,
                    ddl(on, g.grant(), g.revoke(), Step.GRANT));
        }
    }

    /**
     * A grantee's privileges as {@link Catalog} prints them ("PRIV, PRIV with grant option"), with
     * the GRANT that gives them and the REVOKE that takes them back.
     */
    private record Grantee(String name, String privileges, String grant, String revoke) {
    }

    /**
     * The grantees of "grantee=PRIV, PRIV;..." (none for null), their privileges granted {@code on}
     * something (" ON TABLE public.orders"); {@code prefix} goes before each GRANT and REVOKE.
     */
    private List<Grantee> grantees(String grants, String prefix, String on, String column) {
        List<Grantee> out = new ArrayList<>();
        if (grants == null) {
            return out;
        }
        for (String entry : grants.split(";")) {
            int eq = entry.indexOf('=');
            String grantee = entry.substring(0, eq);
            String privileges = entry.substring(eq + 1);
            String to = sql.role(grantee);
            List<String> plain = new ArrayList<>();
            List<String> granting = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (String privilege : privileges.split(", ")) {
                String with = " with grant option";
                boolean option = privilege.endsWith(with);
                String name = (option ? privilege.substring(0, privilege.length() - with.length()) : privilege)
                        + (column == null ? "" : " (" + column + ")");
                (option ? granting : plain).add(name);
                all.add(name);
            }
            StringBuilder grant = new StringBuilder();
            if (!plain.isEmpty()) {
                grant.append(prefix).append("GRANT ").append(String.join(", ", plain)).append(on).append(" TO ").append(to).append(';');
            }
            if (!granting.isEmpty()) {
                grant.append(grant.isEmpty() ? "" : "\n").append(prefix).append("GRANT ").append(String.join(", ", granting))
                        .append(on).append(" TO ").append(to).append(" WITH GRANT OPTION;");
            }
            // Just these: REVOKE ALL on a table would take its columns' grants too.
            String revoke = prefix + "REVOKE " + String.join(", ", all) + on + " FROM " + to + ";";
            out.add(new Grantee(grantee, privileges, grant.toString(), revoke));
        }
        return out;
    }

    private static void defaultPrivileges(CatalogReader r, ResultSet row) throws SQLException {
        String on = switch (row.getString(2)) {
            case "r" -> "tables";
            case "S" -> "sequences";
            case "f" -> "functions";
            case "T" -> "types";
            default -> "schemas";
        };
        String schema = row.getString(1);
        String prefix = "ALTER DEFAULT PRIVILEGES IN SCHEMA " + r.sql.ident(schema) + " ";
        for (Grantee g : r.grantees(row.getString(3), prefix, " ON " + on.toUpperCase(java.util.Locale.ROOT), null)) {
            r.add("default privileges", schema, "on " + on + " to " + g.name(), g.privileges(),
                    new SchemaObject.Key("schema", schema, schema), ddl("SCHEMA " + r.sql.ident(schema), g.grant(), g.revoke(),
                            Step.DEFAULT_PRIVILEGES));
        }
    }

    /** A publication: a database's object, so its schema is "" (made first, with the schemas; dropped last). */
    private static void publication(CatalogReader r, ResultSet row) throws SQLException {
        List<String> publish = new ArrayList<>();
        String[] actions = {"insert", "update", "delete", "truncate"};
        for (int i = 0; i < actions.length; i++) {
            if (row.getBoolean(3 + i)) {
                publish.add(actions[i]);
            }
        }
        String p = r.sql.ident(row.getString(1));
        boolean all = row.getBoolean(2);
        r.add("publication", "", row.getString(1), (all ? "for all tables, " : "") + "publish " + String.join(", ", publish),
                null, ddl("PUBLICATION " + p, "CREATE PUBLICATION " + p + (all ? " FOR ALL TABLES" : "") + " WITH (publish = '"
                        + String.join(", ", publish) + "');", "DROP PUBLICATION " + p + ";", Step.SCHEMA));
    }

    private static void published(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        String t = r.sql.qualified(row.getString(1), row.getString(2));
        String p = r.sql.ident(row.getString(3));
        String filter = row.getString(4);
        r.add("publication", row.getString(1), row.getString(2) + " in " + row.getString(3),
                filter == null ? "published" : "published where (" + filter + ")", table,
                ddl("PUBLICATION " + p, "ALTER PUBLICATION " + p + " ADD TABLE " + t + (filter == null ? "" : " WHERE (" + filter + ")") + ";",
                        "ALTER PUBLICATION " + p + " DROP TABLE " + t + ";", Step.PUBLICATION));
    }

    private static void schema(CatalogReader r, ResultSet row) throws SQLException {
        String s = r.sql.ident(row.getString(1));
        SchemaObject.Key k = r.add("schema", row.getString(1), row.getString(1), "schema", null,
                ddl("SCHEMA " + s, "CREATE SCHEMA " + s + ";", "DROP SCHEMA " + s + " CASCADE;", Step.SCHEMA));
        r.comment(k, row.getString(2));
        r.grants(k, row.getString(3), "SCHEMA " + s, null);
    }

    private static void extension(CatalogReader r, ResultSet row) throws SQLException {
        // Its version is left out: it is the server's, and two servers may ship different ones.
        String x = r.sql.ident(row.getString(2));
        SchemaObject.Key k = r.add("extension", row.getString(1), row.getString(2), "extension", inSchema(row),
                ddl("EXTENSION " + x, "CREATE EXTENSION IF NOT EXISTS " + x + " WITH SCHEMA " + r.sql.ident(row.getString(1)) + ";",
                        "DROP EXTENSION " + x + ";", Step.EXTENSION));
        r.comment(k, row.getString(3));
    }

    private static void relation(CatalogReader r, ResultSet row) throws SQLException {
        String schema = row.getString(1);
        String name = row.getString(2);
        String q = r.sql.qualified(schema, name);
        char relkind = row.getString(3).charAt(0);
        StringBuilder def = new StringBuilder();
        String kind = switch (relkind) {
            case 'v', 'm' -> "view";
            case 'S' -> "sequence";
            default -> "table";
        };
        def.append(switch (relkind) {
            case 'p' -> "partitioned table, partition by " + row.getString(8);
            case 'f' -> "foreign table";
            case 'v' -> "view";
            case 'm' -> "materialized view";
            case 'S' -> "sequence " + row.getString(11);
            default -> "table";
        });
        if ("u".equals(row.getString(4))) {
            def.append("\nunlogged");
        }
        line(def, "row level security enabled", row.getBoolean(5));
        line(def, "row level security forced", row.getBoolean(6));
        line(def, "with (" + row.getString(7) + ")", row.getString(7) != null);
        line(def, "partition of " + row.getString(9), row.getString(9) != null);
        String owned = row.getString(12);
        if (relkind == 'S' && owned != null && owned.charAt(0) == 'i') {
            return; // an identity column's sequence: part of the column's definition
        }
        // A serial column's sequence belongs to its table: a table only on one side brings it along.
        String[] by = owned == null ? null : owned.substring(1).split("\t", 3);
        line(def, by == null ? "" : "owned by " + by[0] + "." + by[1] + "." + by[2], by != null);
        line(def, row.getString(10), row.getString(10) != null);
        Ddl ddl = switch (relkind) {
            case 'S' -> r.sequence(q, row.getString(11), by);
            case 'v', 'm' -> view(q, relkind == 'm', row.getString(7), row.getString(10));
            case 'f' -> ddl("FOREIGN TABLE " + q, null, "DROP FOREIGN TABLE " + q + ";", Step.TABLE);
            default -> table(q, row);
        };
        SchemaObject.Key k = r.add(kind, schema, name, def.toString(),
                by == null ? inSchema(row) : new SchemaObject.Key("table", by[0], by[1]), ddl);
        r.comment(k, row.getString(13));
        r.grants(k, row.getString(14), (relkind == 'S' ? "SEQUENCE " : "TABLE ") + q, null);
    }

    /** A table's own parts; its CREATE is written with its columns ({@link DdlWriter}). */
    private static Ddl table(String q, ResultSet row) throws SQLException {
        Map<String, String> parts = new HashMap<>();
        parts.put("unlogged", String.valueOf("u".equals(row.getString(4))));
        parts.put("rls", String.valueOf(row.getBoolean(5)));
        parts.put("force rls", String.valueOf(row.getBoolean(6)));
        put(parts, "options", row.getString(7));
        put(parts, "partition by", row.getString(8));
        put(parts, "partition of", row.getString(9));
        return new Ddl("TABLE " + q, null, "DROP TABLE " + q + ";", Step.TABLE, parts);
    }

    private static Ddl view(String q, boolean materialized, String options, String query) {
        String what = materialized ? "MATERIALIZED VIEW " : "VIEW ";
        String body = query.strip();
        if (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1);
        }
        String create = "CREATE " + what + q + (options == null ? "" : " WITH (" + options + ")") + " AS\n" + body
                + (materialized ? "\nWITH DATA;" : ";");
        Map<String, String> parts = new HashMap<>();
        if (!materialized) {
            parts.put("replace", "CREATE OR REPLACE " + create.substring("CREATE ".length()));
        }
        return new Ddl(what + q, create, "DROP " + what + q + ";", Step.VIEW, parts);
    }

    private Ddl sequence(String q, String printed, String[] ownedBy) {
        Matcher m = SEQUENCE.matcher(printed);
        if (!m.matches()) {
            return ddl("SEQUENCE " + q, null, "DROP SEQUENCE " + q + ";", Step.SEQUENCE);
        }
        String options = " AS " + m.group(1) + " INCREMENT BY " + m.group(3) + " MINVALUE " + m.group(4) + " MAXVALUE "
                + m.group(5) + " START WITH " + m.group(2) + " CACHE " + m.group(6);
        Map<String, String> parts = new HashMap<>();
        parts.put("alter", "ALTER SEQUENCE " + q + options + (m.group(7) != null ? " CYCLE;" : " NO CYCLE;"));
        parts.put("owned by", "ALTER SEQUENCE " + q + " OWNED BY "
                + (ownedBy == null ? "NONE;" : sql.qualified(ownedBy[0], ownedBy[1]) + "." + sql.ident(ownedBy[2]) + ";"));
        return new Ddl("SEQUENCE " + q, "CREATE SEQUENCE " + q + options + (m.group(7) != null ? " CYCLE;" : ";"),
                "DROP SEQUENCE " + q + ";", Step.SEQUENCE, parts);
    }

    private static void column(CatalogReader r, ResultSet row) throws SQLException {
        StringBuilder def = new StringBuilder(row.getString(4));
        line(def, "collate " + row.getString(9), row.getString(9) != null);
        String identity = row.getString(7);
        String generated = row.getString(8);
        Map<String, String> parts = new HashMap<>();
        parts.put("type", row.getString(4));
        put(parts, "collate", row.getString(9));
        parts.put("not null", String.valueOf(row.getBoolean(5)));
        StringBuilder col = new StringBuilder(r.sql.ident(row.getString(3))).append(' ').append(row.getString(4));
        if (row.getString(9) != null) {
            col.append(" COLLATE ").append(row.getString(9));
        }
        if (identity != null && !identity.isEmpty()) {
            def.append(identity.equals("a") ? " generated always as identity (" : " generated by default as identity (")
                    .append(row.getString(10)).append(')');
            parts.put("identity", identity + " " + row.getString(10));
            Matcher m = SEQUENCE.matcher("type " + row.getString(10));
            col.append(identity.equals("a") ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY");
            if (m.matches()) {
                col.append(" (START WITH ").append(m.group(2)).append(" INCREMENT BY ").append(m.group(3))
                        .append(" MINVALUE ").append(m.group(4)).append(" MAXVALUE ").append(m.group(5))
                        .append(" CACHE ").append(m.group(6)).append(m.group(7) != null ? " CYCLE)" : ")");
            }
        } else if (generated != null && !generated.isEmpty()) {
            def.append(" generated always as (").append(row.getString(6)).append(generated.equals("s") ? ") stored" : ")");
            parts.put("generated", generated + " " + row.getString(6));
            col.append(" GENERATED ALWAYS AS (").append(row.getString(6)).append(generated.equals("s") ? ") STORED" : ")");
        } else if (row.getString(6) != null) {
            def.append(" default ").append(row.getString(6));
            parts.put("default", row.getString(6));
            col.append(" DEFAULT ").append(row.getString(6));
        }
        if (row.getBoolean(5)) {
            def.append(" not null");
            col.append(" NOT NULL");
        }
        String table = r.sql.qualified(row.getString(1), row.getString(2));
        String c = r.sql.ident(row.getString(3));
        parts.put("column", col.toString());
        parts.put("table", table);
        parts.put("name", c);
        parts.put("inherited", String.valueOf(!row.getBoolean(13)));
        SchemaObject.Key tableKey = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        SchemaObject.Key k = r.add("column", row.getString(1), row.getString(2) + "." + row.getString(3), def.toString(),
                tableKey, new Ddl("COLUMN " + table + "." + c, "ALTER TABLE " + table + " ADD COLUMN " + col + ";",
                        "ALTER TABLE " + table + " DROP COLUMN " + c + ";", Step.COLUMN, parts));
        r.comment(k, row.getString(11));
        r.grants(k, row.getString(12), "TABLE " + table, c);
    }

    private static void constraint(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        String t = r.sql.qualified(row.getString(1), row.getString(2));
        String c = r.sql.ident(row.getString(3));
        String def = row.getString(4);
        Map<String, String> parts = Map.of("inherited", String.valueOf(!row.getBoolean(6)));
        SchemaObject.Key k = r.add("constraint", row.getString(1), row.getString(2) + "." + row.getString(3), def, table,
                new Ddl("CONSTRAINT " + c + " ON " + t, "ALTER TABLE " + t + " ADD CONSTRAINT " + c + " " + def + ";",
                        "ALTER TABLE " + t + " DROP CONSTRAINT " + c + ";",
                        def.startsWith("FOREIGN KEY") ? Step.FOREIGN_KEY : Step.CONSTRAINT, parts));
        r.comment(k, row.getString(5));
    }

    private static void index(CatalogReader r, ResultSet row) throws SQLException {
        // A materialized view's index belongs to the view.
        SchemaObject.Key table = new SchemaObject.Key("m".equals(row.getString(8)) ? "view" : "table", row.getString(1),
                row.getString(3));
        String i = r.sql.qualified(row.getString(1), row.getString(2));
        boolean valid = row.getBoolean(5);
        // On a partitioned table the server prints ON ONLY (the partitions' indexes attached one by one);
        // made with ON, the partitions get theirs at once, as they did when it was first made.
        String create = valid ? row.getString(4).replaceFirst(" ON ONLY ", " ON ") + ";" : null;
        SchemaObject.Key k = r.add("index", row.getString(1), row.getString(2),
                row.getString(4) + (valid ? "" : "\ninvalid (a CREATE INDEX CONCURRENTLY that failed)"), table,
                new Ddl("INDEX " + i, create, "DROP INDEX " + i + ";", Step.INDEX,
                        Map.of("inherited", String.valueOf(row.getBoolean(7)))));
        r.comment(k, row.getString(6));
    }

    private static void routine(CatalogReader r, ResultSet row) throws SQLException {
        String what = switch (row.getString(4)) {
            case "p" -> "PROCEDURE ";
            case "a" -> "AGGREGATE ";
            default -> "FUNCTION ";
        };
        String f = what + r.sql.qualified(row.getString(1), row.getString(2)) + "(" + row.getString(3) + ")";
        String body = row.getString(4).equals("a") ? null : row.getString(5).stripTrailing() + ";";
        SchemaObject.Key k = r.add("function", row.getString(1), row.getString(2) + "(" + row.getString(3) + ")",
                row.getString(5), inSchema(row), ddl(f, body, "DROP " + f + ";", Step.FUNCTION));
        r.comment(k, row.getString(6));
        r.grants(k, row.getString(7), f, null);
    }

    private static void trigger(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        String t = r.sql.qualified(row.getString(1), row.getString(2));
        String g = r.sql.ident(row.getString(3));
        String enabled = switch (row.getString(5)) {
            case "D" -> "\ndisabled";
            case "R" -> "\nenabled replica";
            case "A" -> "\nenabled always";
            default -> "";
        };
        String state = switch (row.getString(5)) {
            case "D" -> "\nALTER TABLE " + t + " DISABLE TRIGGER " + g + ";";
            case "R" -> "\nALTER TABLE " + t + " ENABLE REPLICA TRIGGER " + g + ";";
            case "A" -> "\nALTER TABLE " + t + " ENABLE ALWAYS TRIGGER " + g + ";";
            default -> "";
        };
        SchemaObject.Key k = r.add("trigger", row.getString(1), row.getString(2) + "." + row.getString(3),
                row.getString(4) + enabled, table, new Ddl("TRIGGER " + g + " ON " + t, row.getString(4) + ";" + state,
                        "DROP TRIGGER " + g + " ON " + t + ";", Step.TRIGGER,
                        Map.of("inherited", String.valueOf(row.getBoolean(7)))));
        r.comment(k, row.getString(6));
    }

    private static void policy(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        String command = switch (row.getString(4)) {
            case "r" -> "select";
            case "a" -> "insert";
            case "w" -> "update";
            case "d" -> "delete";
            default -> "all";
        };
        StringBuilder def = new StringBuilder(row.getBoolean(5) ? "permissive" : "restrictive")
                .append(" for ").append(command).append(" to ").append(row.getString(6));
        line(def, "using (" + row.getString(7) + ")", row.getString(7) != null);
        line(def, "with check (" + row.getString(8) + ")", row.getString(8) != null);
        String t = r.sql.qualified(row.getString(1), row.getString(2));
        String p = r.sql.ident(row.getString(3));
        List<String> roles = new ArrayList<>();
        for (String role : row.getString(6).split(", ")) {
            roles.add(r.sql.role(role));
        }
        String create = "CREATE POLICY " + p + " ON " + t + " AS " + (row.getBoolean(5) ? "PERMISSIVE" : "RESTRICTIVE")
                + " FOR " + command.toUpperCase(java.util.Locale.ROOT) + " TO " + String.join(", ", roles)
                + (row.getString(7) == null ? "" : "\n  USING (" + row.getString(7) + ")")
                + (row.getString(8) == null ? "" : "\n  WITH CHECK (" + row.getString(8) + ")") + ";";
        SchemaObject.Key k = r.add("policy", row.getString(1), row.getString(2) + "." + row.getString(3), def.toString(),
                table, ddl("POLICY " + p + " ON " + t, create, "DROP POLICY " + p + " ON " + t + ";", Step.POLICY));
        r.comment(k, row.getString(9));
    }

    private static void type(CatalogReader r, ResultSet row) throws SQLException {
        String q = r.sql.qualified(row.getString(1), row.getString(2));
        String printed = row.getString(4);
        Map<String, String> parts = new HashMap<>();
        String what = "TYPE ";
        String create = null;
        switch (row.getString(3)) {
            case "e" -> {
                List<String> labels = new ArrayList<>();
                Array array = row.getArray(7);
                if (array != null) {
                    for (Object label : (Object[]) array.getArray()) {
                        labels.add(Sql.literal((String) label));
                    }
                }
                parts.put("labels", String.join("\n", labels));
                create = "CREATE TYPE " + q + " AS ENUM (" + String.join(", ", labels) + ");";
            }
            case "d" -> {
                what = "DOMAIN ";
                create = "CREATE DOMAIN " + q + " AS " + row.getString(8)
                        + (row.getString(10) == null ? "" : " DEFAULT " + row.getString(10))
                        + (row.getBoolean(9) ? " NOT NULL" : "") + (row.getString(11) == null ? "" : row.getString(11)) + ";";
            }
            case "c" -> create = "CREATE TYPE " + q + " AS " + printed.substring("composite ".length()) + ";";
            default -> {
                if (printed != null && printed.startsWith("range of ")) {
                    create = "CREATE TYPE " + q + " AS RANGE (SUBTYPE = " + printed.substring("range of ".length()) + ");";
                }
            }
        }
        SchemaObject.Key k = r.add("type", row.getString(1), row.getString(2), printed, inSchema(row),
                new Ddl(what + q, create, "DROP " + what + q + ";", Step.TYPE, parts));
        r.comment(k, row.getString(5));
        r.grants(k, row.getString(6), what + q, null);
    }

    /** The schema (first column) an object is in: a schema on one side only brings its objects along. */
    private static SchemaObject.Key inSchema(ResultSet row) throws SQLException {
        return new SchemaObject.Key("schema", row.getString(1), row.getString(1));
    }

    private static void line(StringBuilder def, String text, boolean when) {
        if (when) {
            def.append('\n').append(text);
        }
    }

    private static void put(Map<String, String> parts, String name, String value) {
        if (value != null) {
            parts.put(name, value);
        }
    }
}
