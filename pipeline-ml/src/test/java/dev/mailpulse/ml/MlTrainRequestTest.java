package dev.mailpulse.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.mailpulse.ml.job.MlTrain;

class MlTrainRequestTest {

    @Test
    void aWorkspaceOrEveryOneAndDataFlowsOwnOptionsLeftToIt() {
        assertThat(MlTrain.Request.parse(List.of()).workspace()).isEmpty();
        assertThat(MlTrain.Request.parse(List.of("--workspace", "shop")).workspace()).contains("shop");
        assertThat(MlTrain.Request.parse(List.of("--spring.cloud.task.executionid=7", "--workspace=shop", "--app.ml-train.x=1",
                "--mailpulse.ml.history-days=30")).workspace()).isEqualTo(Optional.of("shop"));
        assertThat(MlTrain.Request.parse(List.of("--zone", "Asia/Kathmandu")).zone()).contains(java.time.ZoneId.of("Asia/Kathmandu"));
    }

    @Test
    void anythingElseIsRefusedNamingIt() {
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--date", "2026-12-01"))).hasMessageContaining("--date");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("shop"))).hasMessageContaining("not shop");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace"))).hasMessageContaining("value is missing");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace=", "x"))).hasMessageContaining("value is missing");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--zone", "Mars/Olympus"))).hasMessageContaining("not a time zone");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--zone", "UTC", "--workspace", "shop"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace=a", "--workspace=b"))).hasMessageContaining("once");
    }
}
