package pgshift.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the rows of the {@link Catalog} queries into {@link SchemaObject}s, with their comments and grants. */
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
            new SchemaSnapshot.Family(Catalog.TYPES, CatalogReader::type));

    private final Map<SchemaObject.Key, SchemaObject> objects = new LinkedHashMap<>();

    Map<SchemaObject.Key, SchemaObject> objects() {
        return objects;
    }

    private SchemaObject.Key add(String kind, String schema, String name, String definition, SchemaObject.Key parent) {
        SchemaObject o = new SchemaObject(kind, schema, name, definition, parent);
        objects.put(o.key(), o);
        return o.key();
    }

    /** The object's comment, as an object of its own ("comment", "table orders"), when it has one. */
    private void comment(SchemaObject.Key of, String text) {
        if (text != null) {
            add("comment", of.schema(), of.kind() + " " + of.name(), text, of);
        }
    }

    /** One grant object per grantee ("grant", "table orders to app_user"), from "grantee=PRIV, PRIV;..." */
    private void grants(SchemaObject.Key of, String grants) {
        if (grants == null) {
            return;
        }
        for (String grant : grants.split(";")) {
            int eq = grant.indexOf('=');
            add("grant", of.schema(), of.kind() + " " + of.name() + " to " + grant.substring(0, eq), grant.substring(eq + 1), of);
        }
    }

    private static void schema(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key k = r.add("schema", row.getString(1), row.getString(1), "schema", null);
        r.comment(k, row.getString(2));
        r.grants(k, row.getString(3));
    }

    private static void extension(CatalogReader r, ResultSet row) throws SQLException {
        // Its version is left out: it is the server's, and two servers may ship different ones.
        SchemaObject.Key k = r.add("extension", row.getString(1), row.getString(2), "extension", inSchema(row));
        r.comment(k, row.getString(3));
    }

    private static void relation(CatalogReader r, ResultSet row) throws SQLException {
        String schema = row.getString(1);
        String name = row.getString(2);
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
        SchemaObject.Key k = r.add(kind, schema, name, def.toString(),
                by == null ? inSchema(row) : new SchemaObject.Key("table", by[0], by[1]));
        r.comment(k, row.getString(13));
        r.grants(k, row.getString(14));
    }

    private static void column(CatalogReader r, ResultSet row) throws SQLException {
        StringBuilder def = new StringBuilder(row.getString(4));
        line(def, "collate " + row.getString(9), row.getString(9) != null);
        String identity = row.getString(7);
        String generated = row.getString(8);
        if (identity != null && !identity.isEmpty()) {
            def.append(identity.equals("a") ? " generated always as identity (" : " generated by default as identity (")
                    .append(row.getString(10)).append(')');
        } else if (generated != null && !generated.isEmpty()) {
            def.append(" generated always as (").append(row.getString(6)).append(generated.equals("s") ? ") stored" : ")");
        } else if (row.getString(6) != null) {
            def.append(" default ").append(row.getString(6));
        }
        if (row.getBoolean(5)) {
            def.append(" not null");
        }
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        SchemaObject.Key k = r.add("column", row.getString(1), row.getString(2) + "." + row.getString(3), def.toString(), table);
        r.comment(k, row.getString(11));
        r.grants(k, row.getString(12));
    }

    private static void constraint(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        SchemaObject.Key k = r.add("constraint", row.getString(1), row.getString(2) + "." + row.getString(3),
                row.getString(4), table);
        r.comment(k, row.getString(5));
    }

    private static void index(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(3));
        SchemaObject.Key k = r.add("index", row.getString(1), row.getString(2),
                row.getString(4) + (row.getBoolean(5) ? "" : "\ninvalid (a CREATE INDEX CONCURRENTLY that failed)"), table);
        r.comment(k, row.getString(6));
    }

    private static void routine(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key k = r.add("function", row.getString(1), row.getString(2) + "(" + row.getString(3) + ")",
                row.getString(5), inSchema(row));
        r.comment(k, row.getString(6));
        r.grants(k, row.getString(7));
    }

    private static void trigger(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key table = new SchemaObject.Key("table", row.getString(1), row.getString(2));
        String enabled = switch (row.getString(5)) {
            case "D" -> "\ndisabled";
            case "R" -> "\nenabled replica";
            case "A" -> "\nenabled always";
            default -> "";
        };
        SchemaObject.Key k = r.add("trigger", row.getString(1), row.getString(2) + "." + row.getString(3),
                row.getString(4) + enabled, table);
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
        SchemaObject.Key k = r.add("policy", row.getString(1), row.getString(2) + "." + row.getString(3), def.toString(), table);
        r.comment(k, row.getString(9));
    }

    private static void type(CatalogReader r, ResultSet row) throws SQLException {
        SchemaObject.Key k = r.add("type", row.getString(1), row.getString(2), row.getString(4), inSchema(row));
        r.comment(k, row.getString(5));
        r.grants(k, row.getString(6));
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
}
