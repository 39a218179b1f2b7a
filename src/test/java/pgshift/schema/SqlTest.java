package pgshift.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class SqlTest {

    private final Sql sql = new Sql(Set.of("select", "user", "order"));

    @Test
    void plainLowerCaseNamesStayBareAndEverythingElseIsQuotedAsQuoteIdentDoes() {
        assertThat(sql.ident("orders")).isEqualTo("orders");
        assertThat(sql.ident("_a1")).isEqualTo("_a1");
        assertThat(sql.ident("a$")).isEqualTo("\"a$\"");
        assertThat(sql.ident("select")).isEqualTo("\"select\"");
        assertThat(sql.ident("Orders")).isEqualTo("\"Orders\"");
        assertThat(sql.ident("odd name")).isEqualTo("\"odd name\"");
        assertThat(sql.ident("1st")).isEqualTo("\"1st\"");
        assertThat(sql.ident("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(sql.ident("café")).isEqualTo("\"café\"");
        assertThat(sql.qualified("public", "user")).isEqualTo("public.\"user\"");
    }

    @Test
    void publicIsTheKeywordForRolesAndLiteralsDoubleTheirQuotes() {
        assertThat(sql.role("PUBLIC")).isEqualTo("PUBLIC");
        assertThat(sql.role("Admin")).isEqualTo("\"Admin\"");
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
        assertThat(Sql.literal("a\\b")).isEqualTo("'a\\b'");
    }
}
