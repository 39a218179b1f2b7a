package pgshift.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two snapshots object by object. An object that is on one side only carries what
 * belongs to it (a table's columns, indexes, grants and comments): only the object is listed.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    /** The differences, ordered by schema, name and kind; empty when the two are the same. */
    public static List<Difference> compare(SchemaSnapshot database, SchemaSnapshot migrations) {
        Map<SchemaObject.Key, SchemaObject> db = database.objects();
        Map<SchemaObject.Key, SchemaObject> mig = migrations.objects();
        Set<SchemaObject.Key> keys = new TreeSet<>(db.keySet());
        keys.addAll(mig.keySet());
        Set<SchemaObject.Key> onlyDb = new HashSet<>(db.keySet());
        onlyDb.removeAll(mig.keySet());
        Set<SchemaObject.Key> onlyMig = new HashSet<>(mig.keySet());
        onlyMig.removeAll(db.keySet());
        List<Difference> found = new ArrayList<>();
        for (SchemaObject.Key key : keys) {
            SchemaObject a = db.get(key);
            SchemaObject b = mig.get(key);
            if (a != null && b != null) {
                if (!Objects.equals(a.definition(), b.definition())) {
                    found.add(new Difference(key, Difference.Change.DIFFERS, a.definition(), b.definition()));
                }
            } else if (a != null) {
                if (a.parent() == null || !onlyDb.contains(a.parent())) {
                    found.add(new Difference(key, Difference.Change.ONLY_IN_DATABASE, a.definition(), null));
                }
            } else if (b.parent() == null || !onlyMig.contains(b.parent())) {
                found.add(new Difference(key, Difference.Change.ONLY_IN_MIGRATIONS, null, b.definition()));
            }
        }
        return found;
    }
}
