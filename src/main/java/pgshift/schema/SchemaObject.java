package pgshift.schema;

/**
 * One object of a schema snapshot: its identity, its definition as the server prints it, and
 * the object it belongs to (a column's table, a comment's object), or null.
 */
public record SchemaObject(Key key, String definition, Key parent) {

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

        /** schema.name, as the table of differences shows it. */
        public String qualified() {
            return schema + "." + name;
        }
    }

    public SchemaObject(String kind, String schema, String name, String definition, Key parent) {
        this(new Key(kind, schema, name), definition, parent);
    }
}
