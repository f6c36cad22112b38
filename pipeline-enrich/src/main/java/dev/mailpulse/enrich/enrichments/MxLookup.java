package dev.mailpulse.enrich.enrichments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

import dev.mailpulse.core.cache.TtlCache;

/**
 * The MX hosts of a domain, through the system's DNS resolver, with a short timeout and a bounded cache of answers
 * (including "none"), each trusted for an hour. Used only where DNS look-ups are enabled.
 */
public final class MxLookup implements Function<String, Optional<List<String>>> {

    /** How long an answer is trusted: MX records change rarely, and a domain's provider with them. */
    private static final Duration REMEMBERED_FOR = Duration.ofHours(1);

    private final Duration timeout;
    private final TtlCache<String, Optional<List<String>>> answers;

    public MxLookup(Duration timeout, int remembered) {
        this.timeout = timeout;
        this.answers = new TtlCache<>(REMEMBERED_FOR, remembered, System::nanoTime);
    }

    @Override
    public Optional<List<String>> apply(String domain) {
        return answers.get(domain, this::lookUp);
    }

    private Optional<List<String>> lookUp(String domain) {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        environment.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeout.toMillis()));
        environment.put("com.sun.jndi.dns.timeout.retries", "1");
        try {
            Attributes attributes = new InitialDirContext(environment).getAttributes(domain, new String[] {"MX"});
            Attribute mx = attributes.get("MX");
            List<String> hosts = new ArrayList<>();
            if (mx != null) {
                NamingEnumeration<?> values = mx.getAll();
                while (values.hasMore()) {
                    String[] parts = values.next().toString().split("\\s+");
                    hosts.add(parts[parts.length - 1]);
                }
            }
            return Optional.of(hosts);
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
