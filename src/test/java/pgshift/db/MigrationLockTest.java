package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.config.DatabaseUrl;

class MigrationLockTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres | true",
            "postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres | false",
            "postgresql://app@10.0.0.5:6543/app                                                | true",
            "postgresql://app@db.example.com:5432/app?pgbouncer=true                            | true",
            "postgresql://app@db.example.com:5432/app?pgbouncer=TRUE&sslmode=require            | true",
            "postgresql://app@db.example.com:5432/app?pgbouncer=false                           | false",
            "jdbc:postgresql://db.example.com:6432/app?pgbouncer=true                           | true",
            "postgresql://postgres@localhost:5432/postgres                                      | false",
            "postgresql://postgres@db.abc.supabase.co:5432/postgres                             | false",
    })
    void transactionPoolersAreToldByPortOrPrismasParameter(String url, boolean expected) {
        assertThat(MigrationLock.transactionPooler(DatabaseUrl.parse(url))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void theRefusalNamesTheFileAndTheWayOut() {
        assertThat(MigrationLock.noTransactionThroughPooler("20250101000000_index.sql"))
                .startsWith("20250101000000_index.sql runs without a transaction")
                .contains("session pooler (port 5432) or a direct connection");
    }
}
