package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLineTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                  | NOTHING      | ``",
            "`   # a comment`                    | NOTHING      | ``",
            "exit                                | COMMAND      | exit",
            "`  quit  `                          | COMMAND      | quit",
            "apply --yes --lock-timeout 3s       | COMMAND      | apply,--yes,--lock-timeout,3s",
            "status                              | COMMAND      | status",
            "apply --to 3                        | COMMAND      | apply,--to,3",
            "apply 'a b.sql'                     | COMMAND      | apply,a b.sql",
            "--dir x status                      | OPTION_FIRST | --dir,x,status",
            "sql select 'a  b' as \"Q\"          | COMMAND      | sql,--,select 'a  b' as \"Q\"",
            "sql --write delete from t           | COMMAND      | sql,--write,--,delete from t",
            "sql -h                              | COMMAND      | sql,-h",
            "sql -- a comment only               | COMMAND      | sql,--,-- a comment only",
            "sql                                 | COMMAND      | sql",
            "sql --lock-timeout 5s select 1      | COMMAND      | sql,--lock-timeout,5s,--,select 1",
            "sql --dir=x select 1                | COMMAND      | sql,--dir=x,--,select 1",
            "sql --verbose --dir x select 1      | COMMAND      | sql,--verbose,--dir,x,--,select 1",
            "sql --write --lock-timeout          | COMMAND      | sql,--write,--lock-timeout",
    })
    void parse(String typed, ShellLine.Kind kind, String args) {
        ShellLine line = ShellLine.parse(new DefaultParser(), typed);
        assertThat(line.kind()).isEqualTo(kind);
        assertThat(line.args()).isEqualTo(args.isEmpty() ? List.of() : List.of(args.split(",")));
    }
}
