package pgshift.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesAndSeparates() {
        Json json = new Json();
        json.open('{').key("s").value("a\"b\\c\nd\u0001").key("n").value(42L).key("z").nul()
                .key("list").open('[').newline().open('{').key("x").value((String) null).close('}')
                .newline().open('{').close('}').lineBreak().close(']').close('}');
        assertThat(json.toString()).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":42,\"z\":null,\"list\":[\n{\"x\":null},\n{}\n]}");
    }
}
