package dev.mailpulse.enrich.enrichments;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CountryResponse;

import dev.mailpulse.core.event.Enrichments;
import dev.mailpulse.core.event.Event;
import dev.mailpulse.enrich.Enrichment;
import tools.jackson.databind.node.ObjectNode;

/**
 * The country of the client's IP address from a MaxMind GeoIP2 or GeoLite2 database file, when one is configured.
 * Without one, or for an address it does not know, the country is absent: never guessed.
 */
public final class CountryEnrichment implements Enrichment {

    private final Optional<DatabaseReader> database;

    public CountryEnrichment(Optional<DatabaseReader> database) {
        this.database = database;
    }

    @Override
    public String name() {
        return "country";
    }

    @Override
    public Outcome apply(Event event, ObjectNode enrichment) {
        if (database.isEmpty() || event.ip() == null || !(event.ip().matches("[0-9.]+") || event.ip().contains(":"))) {
            return Outcome.NOT_APPLICABLE;
        }
        try {
            Optional<CountryResponse> response = database.get().tryCountry(InetAddress.getByName(event.ip()));
            if (response.isEmpty() || response.get().getCountry().getIsoCode() == null) {
                return Outcome.NOT_APPLICABLE;
            }
            enrichment.put(Enrichments.COUNTRY, response.get().getCountry().getIsoCode());
            return Outcome.APPLIED;
        } catch (IOException | GeoIp2Exception e) {
            return new Outcome.Failed("country look-up failed: " + e.getMessage());
        }
    }
}
