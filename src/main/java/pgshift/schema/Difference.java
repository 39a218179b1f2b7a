package pgshift.schema;

/**
 * How one object differs between the database and what its migrations make.
 *
 * @param inDatabase   the definition in the database, or null when it is only in the migrations
 * @param inMigrations the definition the migrations make, or null when it is only in the database
 */
public record Difference(SchemaObject.Key key, Change change, String inDatabase, String inMigrations) {

    /** Which side has the object, or both with different definitions. */
    public enum Change {
        ONLY_IN_DATABASE("only in database"),
        ONLY_IN_MIGRATIONS("only in migrations"),
        DIFFERS("differs");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public String kind() {
        return key.kind();
    }

    public String schema() {
        return key.schema();
    }

    public String name() {
        return key.name();
    }
}
