package dev.mailpulse.etl.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EtlRequestTest {

    @Test
    void readsTheCommandLineInEitherFormAndLeavesDataFlowsOptionsToSpring() {
        // what Data Flow 2.11 adds to a task's command line
        EtlRequest day = EtlRequest.parse(List.of("--date", "2026-03-29", "--workspace=traffic-1", "--spring.cloud.task.executionid=7",
                "--app.daily-etl.spring.batch.jdbc.table-prefix=BOOT3_BATCH_", "--app.daily-etl.spring.cloud.task.initialize-enabled=false"));
        assertThat(day).isEqualTo(new EtlRequest(Optional.of(LocalDate.parse("2026-03-29")), Optional.of(LocalDate.parse("2026-03-29")),
                Optional.of("traffic-1")));
        assertThat(EtlRequest.parse(List.of("--from=2026-03-01", "--to", "2026-03-31")).toString())
                .isEqualTo("days 2026-03-01 to 2026-03-31 of every workspace");
        assertThat(EtlRequest.parse(List.of())).isEqualTo(EtlRequest.due());
        assertThat(EtlRequest.of(day.parameters(Instant.EPOCH))).as("through the job's parameters and back").isEqualTo(day);
    }

    @Test
    void refusesWhatItCannotReadSayingWhich() {
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--date", "29/03/2026"))).hasMessage("--date: a date as YYYY-MM-DD, not 29/03/2026");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--from", "2026-03-01"))).hasMessageContaining("--from and --to go together");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--from=2026-03-02", "--to=2026-03-01"))).hasMessageContaining("before --from");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--from=2020-01-01", "--to=2026-01-01"))).hasMessageContaining("at most 400 days");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--date=2026-03-01", "--from=2026-03-01"))).hasMessageContaining("either one day");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--dates=2026-03-01"))).hasMessageContaining("--dates: not an option");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("--workspace"))).hasMessage("--workspace: a value is missing");
        assertThatThrownBy(() -> EtlRequest.parse(List.of("2026-03-01"))).hasMessageContaining("not an option: 2026-03-01");
    }
}
