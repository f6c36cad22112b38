package dev.mailpulse.enrich;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the enrich stage (processor-enrich, and the composed pipeline), one group per enrichment.
 *
 * @param mailboxProvider  DNS MX look-ups for domains the table does not know (off by default: they need a resolver)
 * @param machineOpen      what makes an open a machine's
 * @param botClick         what makes a click a scanner's
 * @param campaignContext  the campaigns dimension's cache
 * @param timeZone         the workspaces' time zones' cache
 * @param country          the MaxMind GeoIP2/GeoLite2 country (or city) database file; none by default
 */
@ConfigurationProperties("mailpulse.enrich")
public record EnrichProperties(
        @DefaultValue MailboxProvider mailboxProvider,
        @DefaultValue MachineOpen machineOpen,
        @DefaultValue BotClick botClick,
        @DefaultValue Cache campaignContext,
        @DefaultValue Cache timeZone,
        @DefaultValue Country country,
        @DefaultValue("500") int eventsPerMessage,
        @DefaultValue("10s") Duration confirmTimeout) {

    public record MailboxProvider(@DefaultValue("false") boolean mxLookup, @DefaultValue("2s") Duration mxTimeout,
                                  @DefaultValue("100000") int remembered) {
    }

    /**
     * @param userAgents    full user agents of machine openers; Apple's Mail Privacy Protection proxy sends "Mozilla/5.0"
     * @param addressRanges image proxies that prefetch (Apple's 17.0.0.0/8)
     */
    public record MachineOpen(@DefaultValue("Mozilla/5\\.0") List<String> userAgents,
                              @DefaultValue("17.0.0.0/8") List<String> addressRanges) {
    }

    /**
     * @param userAgents patterns of scanners' and link checkers' user agents
     */
    public record BotClick(
            @DefaultValue({"barracuda", "mimecast", "proofpoint", "urldefense", "safelinks", "symantec", "forcepoint", "trendmicro",
                    "sophos", "fortiguard", "bitdefender", "checkpoint", "zscaler", "googlebot", "bingbot", "bingpreview",
                    "headlesschrome", "phantomjs", "python-requests", "python-urllib", "go-http-client", "curl/", "wget/",
                    "okhttp", "java/", "libwww-perl", "apache-httpclient", "scanner", "crawler", "spider", "\\bbot\\b"}) List<String> userAgents,
            @DefaultValue("") List<String> addressRanges,
            @DefaultValue("10s") Duration afterDelivery,
            @DefaultValue("3") int burstLinks,
            @DefaultValue("1s") Duration burstWindow,
            @DefaultValue("200000") int remembered) {
    }

    public record Cache(@DefaultValue("5m") Duration ttl, @DefaultValue("10000") int size) {
    }

    public record Country(@DefaultValue("") String database) {
    }
}
