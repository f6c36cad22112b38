package dev.mailpulse.core.recipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.event.Recipient;

class RecipientPseudonymizerTest {

    private static final UUID WORKSPACE = UUID.fromString("8d3f2a10-5c1e-4b7a-9f0e-2b6c7d8e9f01");
    private final RecipientPseudonymizer pseudonymizer =
            new RecipientPseudonymizer("a-test-secret-of-32-bytes-length".getBytes(StandardCharsets.UTF_8));

    @Test
    void keepsOnlyAHashAndTheDomainByDefault() {
        Recipient recipient = pseudonymizer.pseudonymise(WORKSPACE, "Jane.Doe@GMail.com", false);
        assertThat(recipient.domain()).isEqualTo("gmail.com");
        assertThat(recipient.hash()).matches("[0-9a-f]{32}");
        assertThat(recipient.address()).isNull();
        assertThat(recipient.hash()).doesNotContain("jane");
    }

    @Test
    void theSameAddressAlwaysGivesTheSameHashWhateverItsCase() {
        assertThat(pseudonymizer.pseudonymise(WORKSPACE, " jane.doe@gmail.com ", false))
                .isEqualTo(pseudonymizer.pseudonymise(WORKSPACE, "JANE.DOE@GMAIL.COM", false));
    }

    @Test
    void hashesCannotBeJoinedAcrossWorkspacesOrSecrets() {
        Recipient here = pseudonymizer.pseudonymise(WORKSPACE, "jane@example.com", false);
        Recipient elsewhere = pseudonymizer.pseudonymise(UUID.randomUUID(), "jane@example.com", false);
        Recipient otherSecret = new RecipientPseudonymizer("another-secret-of-enough-length!".getBytes(StandardCharsets.UTF_8))
                .pseudonymise(WORKSPACE, "jane@example.com", false);
        assertThat(here.hash()).isNotEqualTo(elsewhere.hash()).isNotEqualTo(otherSecret.hash());
    }

    @Test
    void storesTheAddressOnlyWhenTheWorkspaceAsks() {
        assertThat(pseudonymizer.pseudonymise(WORKSPACE, "Jane@Example.com", true).address()).isEqualTo("jane@example.com");
    }

    @Test
    void writesInternationalDomainsInAscii() {
        assertThat(pseudonymizer.pseudonymise(WORKSPACE, "max@bücher.de", false).domain()).isEqualTo("xn--bcher-kva.de");
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(WORKSPACE, "jane.example.com", false)).hasMessageContaining("no local part");
        assertThatThrownBy(() -> pseudonymizer.pseudonymise(WORKSPACE, "jane@", false)).hasMessageContaining("no domain");
        assertThatThrownBy(() -> new RecipientPseudonymizer(new byte[4])).hasMessageContaining("at least 16 bytes");
    }
}
