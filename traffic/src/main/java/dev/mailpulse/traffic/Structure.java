package dev.mailpulse.traffic;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What the generator plants for the models to learn, each a pure function of the seed (so a run can be repeated and
 * its truth written down):
 * <ul>
 * <li>a recipient's engagement propensity, {@code 2u} of a uniform {@code u} drawn from the address: it multiplies the
 * chance of an open and, again, of a click after it, so a recipient's chance of a click is proportional to
 * {@code 4u²} (mean 4/3): the most engaged fifth click about 2.4 times as often as the average;</li>
 * <li>a campaign's style, one of {@value #STYLES} drawn from its name: its quality band (0.45 to 0.6, 0.75 to 0.9, 1.2
 * to 1.35: a human click rate about 2.5 times the band's before) and how readily its openers complain and unsubscribe ({@link #UNHAPPINESS}: 4, 1 and 0.25 times as often), so that
 * the campaigns' KPI profiles fall into that many groups;</li>
 * <li>a campaign's quality within its style's band, drawn from its name, multiplying the same two chances: it shows in
 * the campaign's first hours;</li>
 * <li>a weekly season by local hour of week, multiplying the chance of an open: working hours of weekdays the most,
 * nights the least, weekends less than weekdays;</li>
 * <li>each recipient domain's preferred local hour of day, 08 to 17, in which the chances of an open and of a click
 * after it are both {@value #PREFERRED_HOUR_LIFT} times as high: a send in that hour gets 1.8 to 2.1 times as many human
 * clicks as one in the other hours of the same season, so that hour is the domain's best hour of the week's days.</li>
 * </ul>
 * With a campaign life, the campaigns rotate: each of a workspace's slots runs one campaign at a time for that long
 * (the slots staggered), named after its slot and the hour it started, so that the history holds many completed
 * campaigns to forecast from.
 */
public final class Structure {

    private static final DateTimeFormatter GENERATION = DateTimeFormatter.ofPattern("yyMMddHH").withZone(java.time.ZoneOffset.UTC);

    /** How much likelier an open, and a click after it, are in a domain's preferred hour. */
    public static final double PREFERRED_HOUR_LIFT = 1.6;

    private final long seed;

    public Structure(long seed) {
        this.seed = seed;
    }

    /** A recipient's multiplier of the chances of an open and of a click after it: 0 to 2, mean 1. */
    public double propensity(String address) {
        return 2 * uniform("recipient " + address);
    }

    /** How many styles of campaign there are. */
    public static final int STYLES = 3;
    /** By style, the multiplier of an opener's chances of a complaint and of an unsubscription. */
    public static final List<Double> UNHAPPINESS = List.of(4.0, 1.0, 0.25);
    /** By style, the lowest quality of its band (each 0.15 wide). */
    private static final List<Double> QUALITY_BANDS = List.of(0.45, 0.75, 1.2);

    /** A campaign's style, 0 to {@value #STYLES} - 1. */
    public int style(String campaign) {
        return (int) (STYLES * uniform("style " + campaign));
    }

    /** A campaign's multiplier of the same chances, in its style's band: 0.45 to 0.6, 0.75 to 0.9 or 1.2 to 1.35. */
    public double quality(String campaign) {
        return QUALITY_BANDS.get(style(campaign)) + 0.15 * uniform("campaign " + campaign);
    }

    /** The multiplier of the chance of an open by the local hour of week. */
    public static double season(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        int hour = local.getHour();
        double byHour = hour >= 9 && hour < 17 ? 1.3 : hour >= 17 && hour < 22 ? 1.1 : hour >= 6 && hour < 9 ? 0.9 : 0.55;
        boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        return weekend ? byHour * 0.75 : byHour;
    }

    /** A recipient domain's preferred local hour of day, 8 to 17. */
    public int preferredHour(String domain) {
        return 8 + (int) (10 * uniform("domain " + domain));
    }

    /** The multiplier of the chances of an open and of a click after it of a send to {@code domain} at this local hour. */
    public double timing(String domain, int localHour) {
        return localHour == preferredHour(domain) ? PREFERRED_HOUR_LIFT : 1;
    }

    /**
     * The campaign a slot runs at {@code at} when campaigns live {@code life}: {@code SLOT-yyMMddHH}, the hour (UTC) it
     * started; the slots of a workspace start in turn, {@code life / slots} apart.
     */
    static String generation(String slot, int slotIndex, int slots, Duration life, Instant at) {
        long lifeSeconds = life.toSeconds();
        long offset = lifeSeconds * slotIndex / slots;
        long start = Math.floorDiv(at.getEpochSecond() - offset, lifeSeconds) * lifeSeconds + offset;
        return slot + "-" + GENERATION.format(Instant.ofEpochSecond(start));
    }

    /** A uniform draw in [0, 1) from the seed and a key (SplitMix64's finaliser over both). */
    private double uniform(String key) {
        long h = seed;
        for (int i = 0; i < key.length(); i++) {
            h = h * 0x9E3779B97F4A7C15L + key.charAt(i);
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
