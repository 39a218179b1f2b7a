package pgshift.schema;

import java.util.Map;

/**
 * One object of a schema snapshot: its identity, its definition as the server prints it, the
 * object it belongs to (a column's table, a comment's object), or null, and how to write it in
 * SQL (see {@link DdlWriter}), or null when it was not read from a database.
 */
public record SchemaObject(Key key, String definition, Key parent, Ddl ddl) {

    /** What identifies an object across two databases: kind, schema and name (with argument types for routines). */
    public record Key(String kind, String schema, String name) implements Comparable<Key> {

        @Override
        public int compareTo(Key o) {
            int c = schema.compareTo(o.schema);
            if (c == 0) {
                c = name.compareTo(o.name);
            }
            return c != 0 ? c : kind.compareTo(o.kind);
        }

        /** schema.name, as the table of differences shows it; a database's own object (a publication) by its name. */
        public String qualified() {
            return schema.isEmpty() ? name : schema + "." + name;
        }
    }

    /**
     * The object in SQL.
     *
     * @param ref     how COMMENT ON names it ("TABLE public.orders", "COLUMN public.orders.id")
     * @param create  the statement(s) that make it where its parent exists, or null when pgshift cannot write them
     * @param drop    the statement that removes it (for a comment or a grant: that takes it back)
     * @param step    when it is made in a script: everything it may need is made in an earlier step
     * @param parts   what an object changed in place is compared by, kind by kind ({@link DdlWriter})
     */
    public record Ddl(String ref, String create, String drop, Step step, Map<String, String> parts) {
        public Ddl {
            parts = Map.copyOf(parts);
        }

        public String part(String name) {
            return parts.get(name);
        }
    }

    /** The order objects are made in; drops go the other way. */
    public enum Step {
        SCHEMA, EXTENSION, TYPE, FUNCTION, SEQUENCE, TABLE, COLUMN, CONSTRAINT, INDEX, FOREIGN_KEY, OWNED_BY, VIEW,
        VIEW_INDEX, TRIGGER, POLICY, PUBLICATION, COMMENT, GRANT, DEFAULT_PRIVILEGES
    }

    public SchemaObject(Key key, String definition, Key parent) {
        this(key, definition, parent, null);
    }

    public SchemaObject(String kind, String schema, String name, String definition, Key parent) {
        this(new Key(kind, schema, name), definition, parent, null);
    }
}
