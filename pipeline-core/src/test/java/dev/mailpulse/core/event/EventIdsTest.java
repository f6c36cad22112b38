package dev.mailpulse.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final UUID WORKSPACE = UUID.fromString("8d3f2a10-5c1e-4b7a-9f0e-2b6c7d8e9f01");

    @Test
    void aRedeliveredProviderEventKeepsItsId() {
        UUID first = EventIds.fromProviderEvent(EventSource.SENDGRID, WORKSPACE, "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0");
        UUID again = EventIds.fromProviderEvent(EventSource.SENDGRID, WORKSPACE, "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0");
        assertThat(again).isEqualTo(first);
        assertThat(first.version()).isEqualTo(5);
        assertThat(first.variant()).isEqualTo(2);
    }

    @Test
    void idsDoNotCollideAcrossProvidersOrWorkspaces() {
        UUID sendgrid = EventIds.fromProviderEvent(EventSource.SENDGRID, WORKSPACE, "abc");
        assertThat(EventIds.fromProviderEvent(EventSource.MAILGUN, WORKSPACE, "abc")).isNotEqualTo(sendgrid);
        assertThat(EventIds.fromProviderEvent(EventSource.SENDGRID, UUID.randomUUID(), "abc")).isNotEqualTo(sendgrid);
    }

    @Test
    void matchesTheVersion5AlgorithmOfRfc9562() {
        // RFC 9562, appendix A.4: "www.example.com" in the DNS namespace.
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(EventIds.nameBased(dns, "www.example.com")).isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    @Test
    void refusesAMissingProviderId() {
        assertThatThrownBy(() -> EventIds.fromProviderEvent(EventSource.POSTMARK, WORKSPACE, " ")).hasMessageContaining("provider event id");
    }
}
