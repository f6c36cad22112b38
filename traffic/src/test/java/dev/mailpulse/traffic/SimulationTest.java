package dev.mailpulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.schema.EventSchemas;
import tools.jackson.databind.node.ObjectNode;

class SimulationTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();

    @Test
    void theGroundTruthCountsEachValidEventOnceAndNothingElse() {
        Simulation simulation = new Simulation(7, 2, 3);
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        Set<String> seen = new HashSet<>();
        long validDistinct = 0;
        long invalid = 0;
        Map<String, Integer> types = new HashMap<>();
        for (int second = 0; second < 60; second++) {
            List<Simulation.Outgoing> batch = simulation.next(200, now.plusSeconds(second));
            assertThat(batch).hasSize(200);
            for (Simulation.Outgoing outgoing : batch) {
                ObjectNode event = outgoing.event().deepCopy();
                // What the collector adds before validation: workspace, receipt, source, a pseudonymous recipient.
                event.put("workspace_id", UUID.randomUUID().toString());
                event.put("received_at", now.toString());
                event.put("source", "api");
                if (event.has("recipient")) {
                    String address = event.get("recipient").asString();
                    event.putObject("recipient").put("hash", "0123456789abcdef0123456789abcdef").put("domain", address.substring(address.indexOf('@') + 1));
                }
                boolean valid = SCHEMAS.validate(event).isEmpty();
                if (!valid) {
                    invalid++;
                } else if (seen.add(event.get("event_id").asString())) {
                    validDistinct++;
                    types.merge(event.get("type").asString(), 1, Integer::sum);
                }
            }
        }
        long truth = simulation.truth().values().stream().mapToLong(Long::longValue).sum();
        assertThat(invalid).isEqualTo(simulation.invalid()).isPositive();
        assertThat(simulation.duplicates()).isPositive();
        // Events still scheduled (deliveries, opens...) are in the truth once they are sent; all sent ones are counted.
        assertThat(validDistinct).isEqualTo(truth);
        assertThat(types.keySet()).contains("email.send", "email.deliver", "email.open", "email.click", "email.bounce");
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(new Simulation(3, 2, 2).next(500, now).toString()).isEqualTo(new Simulation(3, 2, 2).next(500, now).toString());
    }
}
