package pgshift.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.schema.Evidence.Status;
import pgshift.schema.Evidence.Verdict;

class EvidenceTest {

    private static final SchemaObject.Key TABLE = new SchemaObject.Key("table", "public", "t");
    private static final SchemaObject.Key COLUMN = new SchemaObject.Key("column", "public", "t.a");
    private static final SchemaObject.Key INDEX = new SchemaObject.Key("index", "public", "t_a_idx");

    /** A snapshot from "key=definition" pairs; "-" leaves the key out. Columns and indexes belong to the table. */
    private static SchemaSnapshot snapshot(String table, String column, String index) {
        Map<SchemaObject.Key, SchemaObject> objects = new LinkedHashMap<>();
        put(objects, TABLE, table, null);
        put(objects, COLUMN, column, TABLE);
        put(objects, INDEX, index, TABLE);
        return new SchemaSnapshot(List.of("public"), objects);
    }

    private static void put(Map<SchemaObject.Key, SchemaObject> into, SchemaObject.Key key, String def, SchemaObject.Key parent) {
        if (!def.equals("-")) {
            into.put(key, new SchemaObject(key, def, parent));
        }
    }

    /** Before, after and database as "table column index" definitions, "-" for none. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what it makes, what the database has                            -> verdict          | objects listed
            "creates a table, database has it all      | - - -     | T A I     | T A I | ALREADY_PRESENT | table:present",
            "creates a table, database lacks the index | - - -     | T A I     | T A - | PARTLY_PRESENT  | table:present index:missing",
            "creates a table, database has none of it  | - - -     | T A I     | - - - | ABSENT          | table:missing",
            "changes a column, database as before      | T A -     | T B -     | T A - | ABSENT          | column:unchanged",
            "changes a column, database as after       | T A -     | T B -     | T B - | ALREADY_PRESENT | column:present",
            "changes a column, database has a third    | T A -     | T B -     | T C - | PARTLY_PRESENT  | column:different",
            "drops an index, database still has it     | T A I     | T A -     | T A I | ABSENT          | index:still there",
            "drops an index, database has it not       | T A I     | T A -     | T A - | ALREADY_PRESENT | index:present",
            "changes nothing the snapshot sees         | T A -     | T A -     | - - - | NO_SCHEMA_CHANGE | ''",
    })
    void pending(String why, String before, String after, String database, Verdict verdict, String listed) {
        Evidence e = Evidence.ofPending("2", of(before), of(after), of(database));

        assertThat(e.verdict()).isEqualTo(verdict);
        assertThat(listed(e)).isEqualTo(listed);
        assertThat(e.consistent()).isEqualTo(verdict == Verdict.ABSENT || verdict == Verdict.NO_SCHEMA_CHANGE);
    }

    /** Before, after, what all the migrations leave, and the database. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "made and still there                     | - - - | T A I | T A I | T A I | PRESENT   | table:present",
            "its index dropped by hand                | - - - | T A I | T A I | T A - | MISSING   | table:present index:missing",
            "its column changed by hand               | - - - | T A I | T A I | T B I | DIFFERENT | table:present column:different",
            "its column changed again by a later one  | - - - | T A I | T B I | T B I | PRESENT   | table:present",
            "its index dropped by a later one         | - - - | T A I | T A - | T A - | PRESENT   | table:present",
            "a drop undone by hand                    | T A I | T A - | T A - | T A I | DIFFERENT | index:still there",
    })
    void applied(String why, String before, String after, String expected, String database, Verdict verdict,
                 String listed) {
        Evidence e = Evidence.ofApplied("1", of(before), of(after), of(expected), of(database));

        assertThat(e.verdict()).isEqualTo(verdict);
        assertThat(listed(e)).isEqualTo(listed);
        assertThat(e.consistent()).isEqualTo(verdict == Verdict.PRESENT);
    }

    @Test
    void aChildWithAnotherStatusThanItsParentIsListedOnItsOwn() {
        Evidence e = Evidence.ofPending("2", of("- - -"), of("T A I"), of("T X -"));

        assertThat(e.with(Status.PRESENT)).extracting(Evidence.Item::key).containsExactly(TABLE);
        assertThat(e.with(Status.DIFFERENT)).extracting(Evidence.Item::key).containsExactly(COLUMN);
        assertThat(e.with(Status.MISSING)).extracting(Evidence.Item::key).containsExactly(INDEX);
    }

    private static SchemaSnapshot of(String defs) {
        String[] d = defs.trim().split("\\s+");
        return snapshot(d[0], d[1], d[2]);
    }

    private static String listed(Evidence e) {
        return String.join(" ", e.objects().stream().map(i -> i.key().kind() + ":" + i.status().label()).toList());
    }
}
