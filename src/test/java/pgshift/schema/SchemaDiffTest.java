package pgshift.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SchemaDiffTest {

    private static final SchemaObject.Key PUBLIC = new SchemaObject.Key("schema", "public", "public");
    private static final SchemaObject.Key ORDERS = new SchemaObject.Key("table", "public", "orders");

    private static SchemaSnapshot snapshot(SchemaObject... objects) {
        Map<SchemaObject.Key, SchemaObject> map = new LinkedHashMap<>();
        for (SchemaObject o : objects) {
            map.put(o.key(), o);
        }
        return new SchemaSnapshot(List.of("public"), map);
    }

    private static SchemaObject schema() {
        return new SchemaObject(PUBLIC, "schema", null);
    }

    private static SchemaObject orders() {
        return new SchemaObject(ORDERS, "table", PUBLIC);
    }

    private static SchemaObject column(String name, String def) {
        return new SchemaObject("column", "public", "orders." + name, def, ORDERS);
    }

    private static String changes(List<Difference> differences) {
        return String.join("; ", differences.stream().map(d -> d.kind() + " " + d.key().qualified() + " "
                + d.change().label()).toList());
    }

    @Test
    void equalSnapshotsHaveNoDifferenceWhateverTheirOrder() {
        SchemaSnapshot a = snapshot(schema(), orders(), column("id", "integer"), column("total", "numeric"));
        SchemaSnapshot b = snapshot(column("total", "numeric"), column("id", "integer"), orders(), schema());

        assertThat(SchemaDiff.compare(a, b)).isEmpty();
    }

    @Test
    void aTableOnOneSideIsOneDifferenceWithItsColumnsAndTheirCommentsFoldedIn() {
        SchemaObject comment = new SchemaObject("comment", "public", "column orders.id", "the key",
                new SchemaObject.Key("column", "public", "orders.id"));
        SchemaSnapshot database = snapshot(schema(), orders(), column("id", "integer"), comment);

        assertThat(changes(SchemaDiff.compare(database, snapshot(schema()))))
                .isEqualTo("table public.orders only in database");
        assertThat(changes(SchemaDiff.compare(snapshot(schema()), database)))
                .isEqualTo("table public.orders only in migrations");
    }

    @Test
    void aChildIsListedWhenItsParentIsOnBothSidesAndDefinitionsAreKeptForTheLineDiff() {
        SchemaSnapshot database = snapshot(schema(), orders(), column("id", "bigint"), column("note", "text"));
        SchemaSnapshot migrations = snapshot(schema(), orders(), column("id", "integer"), column("total", "numeric"));

        List<Difference> found = SchemaDiff.compare(database, migrations);

        assertThat(changes(found)).isEqualTo("column public.orders.id differs; column public.orders.note only in database; "
                + "column public.orders.total only in migrations");
        assertThat(found.get(0).inDatabase()).isEqualTo("bigint");
        assertThat(found.get(0).inMigrations()).isEqualTo("integer");
    }
}
