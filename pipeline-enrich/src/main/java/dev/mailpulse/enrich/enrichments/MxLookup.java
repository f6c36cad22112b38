package dev.mailpulse.enrich.enrichments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

/**
 * The MX hosts of a domain, through the system's DNS resolver, with a short timeout and a bounded cache of answers
 * (including "none"). Used only where DNS look-ups are enabled.
 */
public final class MxLookup implements Function<String, Optional<List<String>>> {

    private final Duration timeout;
    private final Map<String, Optional<List<String>>> answers;

    public MxLookup(Duration timeout, int remembered) {
        this.timeout = timeout;
        this.answers = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<List<String>>> eldest) {
                return size() > remembered;
            }
        });
    }

    @Override
    public Optional<List<String>> apply(String domain) {
        return answers.computeIfAbsent(domain, this::lookUp);
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
