package dev.mailpulse.livecache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live cache.
 *
 * @param keyPrefix    every key starts with it
 * @param seenFor      how long an applied event id is remembered, so that the broker's redeliveries (which come within
 *                     seconds or minutes of a consumer's crash) are not counted again; older duplicates are the
 *                     validator's to drop. Memory grows with rate × this window (about 70 bytes an event).
 * @param minutesKept  how long minute counters are kept (the live view's horizon)
 * @param feedLength   latest events kept per workspace
 * @param streamLength approximate length of each workspace's live notification stream
 * @param reconcileWindow how far back a reconciliation rebuilds the counters from the read model
 */
@ConfigurationProperties("mailpulse.cache")
public record LiveCacheProperties(
        @DefaultValue("mp:") String keyPrefix,
        @DefaultValue("10m") Duration seenFor,
        @DefaultValue("48h") Duration minutesKept,
        @DefaultValue("1000") int feedLength,
        @DefaultValue("10000") int streamLength,
        @DefaultValue("48h") Duration reconcileWindow) {
}
