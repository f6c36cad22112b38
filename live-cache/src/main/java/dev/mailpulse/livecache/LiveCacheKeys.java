package dev.mailpulse.livecache;

import java.time.Instant;
import java.util.UUID;

/**
 * The live cache's key layout, the one place in Java that knows it (apply-events.lua writes the same keys). Every
 * key starts with the prefix, then the workspace: {@code :m:CAMPAIGN:MINUTE} a hash of counts by type (and
 * {@code TYPE:automated}) in the minute starting at MINUTE (epoch seconds), {@code :u:} and {@code :uh:CAMPAIGN:TYPE}
 * the unique recipients (all, human only), {@code :feed} the latest events, {@code :live} the live stream,
 * {@code :seen:EVENT} an applied event's id. CAMPAIGN is the campaign id, {@value #NO_CAMPAIGN} for events of none,
 * {@value #ALL_CAMPAIGNS} for the whole workspace.
 */
public final class LiveCacheKeys {

    public static final String ALL_CAMPAIGNS = "*";
    public static final String NO_CAMPAIGN = "_";

    private final String prefix;

    public LiveCacheKeys(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** @param campaign a campaign id, null for events of none, or {@link #ALL_CAMPAIGNS} */
    public String minute(UUID workspace, String campaign, long minuteEpochSecond) {
        return prefix + workspace + ":m:" + campaign(campaign) + ":" + minuteEpochSecond;
    }

    public String uniques(UUID workspace, String campaign, String type, boolean humanOnly) {
        return prefix + workspace + (humanOnly ? ":uh:" : ":u:") + campaign(campaign) + ":" + type;
    }

    public String feed(UUID workspace) {
        return prefix + workspace + ":feed";
    }

    public String liveStream(UUID workspace) {
        return prefix + workspace + ":live";
    }

    /** The mark of the last rebuild: the snapshot it read. Without it the cache is not whole and refuses events. */
    public String reconciled() {
        return prefix + "cache:reconciled-at";
    }

    /** Held by the one instance rebuilding the cache. */
    public String reconciling() {
        return prefix + "cache:reconciling";
    }

    /** The campaign part of a key. */
    public static String campaign(String campaignId) {
        return campaignId == null ? NO_CAMPAIGN : campaignId;
    }

    /** The start of the minute an instant is in, in epoch seconds: a minute key's MINUTE. */
    public static long minuteOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60) * 60;
    }
}
