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
    }

    @Test
    void anythingElseIsRefusedNamingIt() {
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--date", "2026-12-01"))).hasMessageContaining("--date");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("shop"))).hasMessageContaining("not shop");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace"))).hasMessageContaining("name is missing");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace=", "x"))).hasMessageContaining("name is missing");
        assertThatThrownBy(() -> MlTrain.Request.parse(List.of("--workspace=a", "--workspace=b"))).hasMessageContaining("once");
    }
}
