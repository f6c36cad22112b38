package dev.mailpulse.enrich.enrichments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;

/**
 * The recipient's mailbox provider: gmail (also Google Workspace), microsoft (Outlook.com and Microsoft 365), yahoo
 * (with AOL), apple (iCloud), corporate (a domain with its own mail servers), or other. First from the maintained
 * domain table ({@code mailbox-providers.csv}), then, where DNS look-ups are enabled, from the domain's MX hosts.
 */
public final class MailboxProviderEnrichment implements Enrichment {

    private final Map<String, String> domains;
    private final Map<String, String> mxSuffixes;
    private final Function<String, Optional<List<String>>> mxLookup;

    /**
     * @param mxLookup the MX hosts of a domain (empty when DNS look-ups are off or the look-up failed); cached by the
     *                 caller
     */
    public MailboxProviderEnrichment(Function<String, Optional<List<String>>> mxLookup) {
        this.mxLookup = mxLookup;
        this.domains = new HashMap<>();
        this.mxSuffixes = new HashMap<>();
        try (InputStream in = MailboxProviderEnrichment.class.getResourceAsStream("/mailbox-providers.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split(",");
                (columns[0].equals("mx") ? mxSuffixes : domains).put(columns[1].strip(), columns[2].strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "mailbox_provider";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        if (event.recipient() == null) {
            return Outcome.NOT_APPLICABLE;
        }
        String domain = event.recipient().domain().toLowerCase(Locale.ROOT);
        String known = domains.get(domain);
        if (known != null) {
            enrichment.put(Enrichments.MAILBOX_PROVIDER, known);
            enrichment.put(Enrichments.MAILBOX_PROVIDER_SOURCE, "domain");
            return Outcome.APPLIED;
        }
        Optional<List<String>> mx = mxLookup.apply(domain);
        if (mx.isEmpty()) {
            enrichment.put(Enrichments.MAILBOX_PROVIDER, "other");
            return Outcome.APPLIED;
        }
        String provider = "corporate";
        for (String host : mx.get()) {
            String normalised = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            for (Map.Entry<String, String> suffix : mxSuffixes.entrySet()) {
                if (normalised.endsWith(suffix.getKey())) {
                    provider = suffix.getValue();
                }
            }
        }
        enrichment.put(Enrichments.MAILBOX_PROVIDER, mx.get().isEmpty() ? "other" : provider);
        enrichment.put(Enrichments.MAILBOX_PROVIDER_SOURCE, "mx");
        return Outcome.APPLIED;
    }
}
