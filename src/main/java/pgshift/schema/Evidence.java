package pgshift.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one migration changes in the schema (the difference between the shadow's snapshots before
 * and after it) and, object by object, whether the database holds that change.
 *
 * @param objects the objects it creates, changes or drops, each with where the database stands; an
 *                object whose parent is listed with the same status is left out (a table's columns)
 */
public record Evidence(String version, boolean applied, Verdict verdict, List<Item> objects) {

    /** What the evidence says about one migration as a whole. */
    public enum Verdict {
        /** Pending, and every object it makes is in the database as it would leave it. */
        ALREADY_PRESENT("already present"),
        /** Pending, and some of its objects are as it would leave them, some are not. */
        PARTLY_PRESENT("partly present"),
        /** Pending, and none of its objects is as it would leave them. */
        ABSENT("absent"),
        /** Applied, and its objects are in the database as the migrations leave them. */
        PRESENT("present"),
        /** Applied, and some of its objects are not in the database. */
        MISSING("missing"),
        /** Applied, and some of its objects are in the database with another definition. */
        DIFFERENT("different"),
        /** It changes nothing a schema snapshot sees (only data, say): no evidence either way. */
        NO_SCHEMA_CHANGE("no schema change");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Where the database stands for one object the migration touches. */
    public enum Status {
        /** As the migration (for an applied one: the migrations) would leave it. */
        PRESENT("present"),
        /** It makes the object, and the database has no such object. */
        MISSING("missing"),
        /** It changes the object, and the database still has it as it was before the migration. */
        UNCHANGED("unchanged"),
        /** It drops the object, and the database still has it. */
        STILL_THERE("still there"),
        /** The database has the object, with a definition the migration would not leave. */
        DIFFERENT("different");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One object the migration touches and where the database stands for it. */
    public record Item(SchemaObject.Key key, Status status) {
    }

    public Evidence {
        objects = List.copyOf(objects);
    }

    /** Whether the verdict agrees with the ledger: applied and present, pending and absent, or no evidence. */
    public boolean consistent() {
        return switch (verdict) {
            case PRESENT, ABSENT, NO_SCHEMA_CHANGE -> true;
            default -> false;
        };
    }

    /**
     * The evidence for a pending migration: each object it touches is compared with the database,
     * which is either as the migration would leave it, as it was before, or neither.
     */
    public static Evidence ofPending(String version, SchemaSnapshot before, SchemaSnapshot after, SchemaSnapshot database) {
        Map<SchemaObject.Key, Status> found = new HashMap<>();
        for (SchemaObject.Key key : changed(before, after)) {
            String was = definition(before, key);
            String now = definition(after, key);
            String is = definition(database, key);
            Status status = Objects.equals(is, now) ? Status.PRESENT
                    : !Objects.equals(is, was) ? Status.DIFFERENT
                    : was == null ? Status.MISSING
                    : now == null ? Status.STILL_THERE : Status.UNCHANGED;
            found.put(key, status);
        }
        List<Item> items = fold(found, before, after);
        Verdict verdict = items.isEmpty() ? Verdict.NO_SCHEMA_CHANGE
                : items.stream().allMatch(i -> i.status() == Status.PRESENT) ? Verdict.ALREADY_PRESENT
                : items.stream().allMatch(i -> isAbsent(i.status())) ? Verdict.ABSENT
                : Verdict.PARTLY_PRESENT;
        return new Evidence(version, false, verdict, items);
    }

    /**
     * The evidence for an applied migration: each object it touches is compared with what all the
     * migrations leave ({@code expected}), since later ones may change it again; an object a later
     * migration drops is no longer this one's to check.
     */
    public static Evidence ofApplied(String version, SchemaSnapshot before, SchemaSnapshot after,
                                     SchemaSnapshot expected, SchemaSnapshot database) {
        Map<SchemaObject.Key, Status> found = new HashMap<>();
        for (SchemaObject.Key key : changed(before, after)) {
            String should = definition(expected, key);
            String is = definition(database, key);
            if (should == null && definition(after, key) != null) {
                continue; // made here, dropped by a later migration
            }
            Status status = Objects.equals(is, should) ? Status.PRESENT
                    : is == null ? Status.MISSING
                    : should == null ? Status.STILL_THERE : Status.DIFFERENT;
            found.put(key, status);
        }
        List<Item> items = fold(found, before, after);
        Verdict verdict = items.isEmpty() ? Verdict.NO_SCHEMA_CHANGE
                : items.stream().allMatch(i -> i.status() == Status.PRESENT) ? Verdict.PRESENT
                : items.stream().anyMatch(i -> i.status() == Status.MISSING) ? Verdict.MISSING
                : Verdict.DIFFERENT;
        return new Evidence(version, true, verdict, items);
    }

    /** The objects with the given status. */
    public List<Item> with(Status status) {
        return objects.stream().filter(i -> i.status() == status).toList();
    }

    private static boolean isAbsent(Status status) {
        return status == Status.MISSING || status == Status.UNCHANGED || status == Status.STILL_THERE;
    }

    /** The keys whose definition differs between the two snapshots, or that are in one only. */
    private static Set<SchemaObject.Key> changed(SchemaSnapshot before, SchemaSnapshot after) {
        Set<SchemaObject.Key> keys = new TreeSet<>(before.objects().keySet());
        keys.addAll(after.objects().keySet());
        keys.removeIf(k -> Objects.equals(definition(before, k), definition(after, k)));
        return keys;
    }

    /** Leaves out an object whose parent, or a parent's parent, is listed with the same status. */
    private static List<Item> fold(Map<SchemaObject.Key, Status> found, SchemaSnapshot before, SchemaSnapshot after) {
        List<Item> items = new ArrayList<>();
        for (SchemaObject.Key key : new TreeSet<>(found.keySet())) {
            Status status = found.get(key);
            boolean folded = false;
            Set<SchemaObject.Key> seen = new HashSet<>();
            for (SchemaObject.Key p = parent(key, before, after); p != null && seen.add(p); p = parent(p, before, after)) {
                if (found.get(p) == status) {
                    folded = true;
                    break;
                }
            }
            if (!folded) {
                items.add(new Item(key, status));
            }
        }
        return items;
    }

    private static SchemaObject.Key parent(SchemaObject.Key key, SchemaSnapshot before, SchemaSnapshot after) {
        SchemaObject o = after.objects().get(key);
        if (o == null) {
            o = before.objects().get(key);
        }
        return o == null ? null : o.parent();
    }

    private static String definition(SchemaSnapshot snapshot, SchemaObject.Key key) {
        SchemaObject o = snapshot.objects().get(key);
        return o == null ? null : o.definition();
    }
}
