package dev.mailpulse.traffic;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.storage.facts.Benchmarks;
import dev.mailpulse.storage.facts.Kpi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a generator run sent and what the pipeline must therefore hold: the count of every (workspace, campaign, type,
 * hour) bucket the run sent to (its distinct valid events, plus what the bucket held before the run), how many
 * invalid events and duplicates were sent besides, and what the daily ETL must count for the run's campaigns on each
 * day of their workspace's time zone.
 *
 * @param workspaces   the run's workspaces, by name and id
 * @param expectedDays the run's campaigns' counts by local day (events of no campaign add to earlier runs' and are
 *                     checked by the hour only)
 */
public record GroundTruth(long seed, List<Workspace> workspaces, long eventsSent, long invalidSent, long duplicatesSent,
                          long sentThroughWebhooks, List<Bucket> expected, List<DayBucket> expectedDays, List<Credit> attribution,
                          List<Cost> costs, List<CampaignKpis> campaigns, List<Quality> qualities,
                          List<PreferredHour> preferredHours) {

    /** A campaign's planted style and quality ({@link Structure#style}, {@link Structure#quality}), which its engagement shows. */
    public record Quality(UUID workspace, String campaign, int style, double quality) {
    }

    /** A recipient domain's planted preferred local hour of day ({@link Structure#preferredHour}). */
    public record PreferredHour(String domain, int hour) {
    }

    public record Workspace(String name, UUID id) {
    }

    /** One bucket's count of distinct valid events; {@code campaign} is "" for events of no campaign. */
    public record Bucket(UUID workspace, String campaign, String type, Instant hour, long count) {
    }

    /** One campaign's count of distinct valid events of one type on one day of its workspace's time zone. */
    public record DayBucket(UUID workspace, String campaign, String type, LocalDate day, long count) {
    }

    /**
     * Conversions and revenue of one local day of the conversion, credited to one campaign ("" for none) by one method
     * ({@code message}, {@code click} or {@code unattributed}), in one currency.
     */
    public record Credit(UUID workspace, LocalDate day, String campaign, String method, String currency, long conversions, BigDecimal revenue) {
    }

    /** What a campaign's latest campaign.create declared it costs. */
    public record Cost(UUID workspace, String campaign, BigDecimal amount, String currency) {
    }

    /**
     * A campaign's lifetime counts, by the names of the KPI tables' columns, and its percentile rank on each KPI among
     * the run's campaigns of its workspace that the benchmarks count.
     */
    public record CampaignKpis(UUID workspace, String campaign, Map<String, Long> counts, Map<String, Double> ranks) {
    }

    /** A bucket's key. */
    public record Key(UUID workspace, String campaign, String type, Instant hour) {
    }

    public GroundTruth {
        workspaces = List.copyOf(workspaces);
        expected = List.copyOf(expected);
        expectedDays = List.copyOf(expectedDays);
        attribution = List.copyOf(attribution);
        costs = List.copyOf(costs);
        campaigns = List.copyOf(campaigns);
        qualities = List.copyOf(qualities);
    }

    /**
     * The truth of the simulations that ran for the given workspaces (in the simulations' order), over what the
     * buckets held {@code before} them. The campaigns' lifetimes are those of the local days ended by {@code now},
     * which the daily ETL can have processed.
     */
    static GroundTruth of(long seed, List<Workspace> workspaces, List<Simulation> simulations, long eventsSent, long sentThroughWebhooks,
                          Map<Key, Long> before, Instant now) {
        Map<Key, Long> counts = new TreeMap<>(Comparator.comparing(Key::workspace).thenComparing(Key::campaign).thenComparing(Key::type)
                .thenComparing(Key::hour));
        counts.putAll(before);
        Map<Simulation.DayKey, Long> days = new TreeMap<>();
        for (Simulation simulation : simulations) {
            for (Map.Entry<Simulation.TruthKey, Long> entry : simulation.truth().entrySet()) {
                Simulation.TruthKey key = entry.getKey();
                counts.merge(new Key(workspaces.get(key.workspace()).id(), key.campaign(), key.type(), key.hour()), entry.getValue(), Long::sum);
            }
            simulation.dayTruth().forEach((key, count) -> days.merge(key, count, Long::sum));
        }
        List<Bucket> buckets = new ArrayList<>();
        counts.forEach((key, count) -> buckets.add(new Bucket(key.workspace(), key.campaign(), key.type(), key.hour(), count)));
        List<DayBucket> dayBuckets = new ArrayList<>();
        days.forEach((key, count) -> {
            if (!key.campaign().isEmpty()) {
                dayBuckets.add(new DayBucket(workspaces.get(key.workspace()).id(), key.campaign(), key.type(), key.day(), count));
            }
        });
        Business business = Business.union(simulations.stream().map(Simulation::business).toList());
        List<ZoneId> zones = simulations.isEmpty() ? List.of() : simulations.get(0).zones();
        return new GroundTruth(seed, workspaces, eventsSent, simulations.stream().mapToLong(Simulation::invalid).sum(),
                simulations.stream().mapToLong(Simulation::duplicates).sum(), sentThroughWebhooks, buckets, dayBuckets,
                attribution(business, workspaces, zones), costs(business, workspaces, zones, now), campaigns(business, workspaces, zones, dayBuckets, now),
                qualities(simulations, workspaces), simulations.isEmpty() ? List.of() : preferredHours(simulations.get(0).structure()));
    }

    private static List<PreferredHour> preferredHours(Structure structure) {
        return Simulation.domains().stream().map(domain -> new PreferredHour(domain, structure.preferredHour(domain))).toList();
    }

    private static List<Quality> qualities(List<Simulation> simulations, List<Workspace> workspaces) {
        Map<String, Quality> qualities = new TreeMap<>();
        for (Simulation simulation : simulations) {
            for (String started : simulation.campaignsStarted()) {
                String[] workspaceAndCampaign = started.split(" ", 2);
                qualities.putIfAbsent(started, new Quality(workspaces.get(Integer.parseInt(workspaceAndCampaign[0])).id(), workspaceAndCampaign[1],
                        simulation.style(workspaceAndCampaign[1]), simulation.quality(workspaceAndCampaign[1])));
            }
        }
        return List.copyOf(qualities.values());
    }

    /** Every conversion credited as the daily ETL must, summed by (workspace, local day, campaign, method, currency). */
    private static List<Credit> attribution(Business business, List<Workspace> workspaces, List<ZoneId> zones) {
        Map<List<Object>, Credit> credits = new TreeMap<>(Comparator.comparing(Object::toString));
        for (Business.Conversion conversion : business.conversions) {
            Business.Credit credit = business.credit(conversion);
            UUID workspace = workspaces.get(conversion.workspace()).id();
            LocalDate day = conversion.at().atZone(zones.get(conversion.workspace())).toLocalDate();
            credits.merge(List.of(workspace, day, credit.campaign(), credit.method(), conversion.currency()),
                    new Credit(workspace, day, credit.campaign(), credit.method(), conversion.currency(), 1, conversion.amount()),
                    (a, b) -> new Credit(a.workspace(), a.day(), a.campaign(), a.method(), a.currency(), a.conversions() + 1,
                            a.revenue().add(b.revenue())));
        }
        return List.copyOf(credits.values());
    }

    /** Each campaign's latest declared cost of the local days ended by {@code now}. */
    private static List<Cost> costs(Business business, List<Workspace> workspaces, List<ZoneId> zones, Instant now) {
        List<Cost> costs = new ArrayList<>();
        new TreeMap<>(business.costs).forEach((key, declared) -> {
            int workspace = Integer.parseInt(key.split(" ", 2)[0]);
            Instant today = LocalDate.ofInstant(now, zones.get(workspace)).atStartOfDay(zones.get(workspace)).toInstant();
            declared.stream().filter(c -> c.at().isBefore(today)).max(Comparator.comparing(Business.Cost::at))
                    .ifPresent(cost -> costs.add(new Cost(workspaces.get(workspace).id(), key.split(" ", 2)[1], cost.amount(), cost.currency())));
        });
        return costs;
    }

    /**
     * Each campaign's lifetime counts over the local days ended by {@code now}, and its ranks among the workspace's
     * campaigns of at least the benchmarks' minimum sent.
     */
    private static List<CampaignKpis> campaigns(Business business, List<Workspace> workspaces, List<ZoneId> zones, List<DayBucket> days,
                                                Instant now) {
        Map<UUID, Integer> index = new HashMap<>();
        for (int w = 0; w < workspaces.size(); w++) {
            index.put(workspaces.get(w).id(), w);
        }
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (DayBucket day : days) {
            if (!day.day().isBefore(LocalDate.ofInstant(now, zones.get(index.get(day.workspace()))))) {
                continue;
            }
            String column = LIFETIME_COLUMNS.get(day.type());
            Map<String, Long> campaign = counts.computeIfAbsent(index.get(day.workspace()) + " " + day.campaign(), k -> new TreeMap<>());
            LIFETIME_COLUMNS.values().forEach(c -> campaign.putIfAbsent(c, 0L));
            if (column != null) {
                campaign.merge(column, day.count(), Long::sum);
            }
        }
        counts.forEach((key, campaign) -> {
            ZoneId zone = zones.get(Integer.parseInt(key.split(" ", 2)[0]));
            Instant today = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
            campaign.put("unique_human_openers", Business.before(business.humanOpeners, key, today));
            campaign.put("unique_clickers", Business.before(business.clickers, key, today));
            campaign.put("unique_human_clickers", Business.before(business.humanClickers, key, today));
        });
        List<CampaignKpis> campaigns = new ArrayList<>();
        counts.forEach((key, campaign) -> {
            String[] workspaceAndCampaign = key.split(" ", 2);
            Map<String, Double> ranks = new TreeMap<>();
            if (campaign.get("sent") >= Benchmarks.MIN_SENT) {
                for (Kpi kpi : Kpi.values()) {
                    Double value = rate(campaign, kpi);
                    List<Double> peers = counts.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(workspaceAndCampaign[0] + " ") && e.getValue().get("sent") >= Benchmarks.MIN_SENT)
                            .map(e -> rate(e.getValue(), kpi)).filter(Objects::nonNull).toList();
                    if (value != null) {
                        long worse = peers.stream().filter(p -> kpi.higherIsBetter() ? p < value : p > value).count();
                        long same = peers.stream().filter(p -> p.equals(value)).count();
                        ranks.put(kpi.wireName(), 100.0 * (worse + 0.5 * same) / peers.size());
                    }
                }
            }
            campaigns.add(new CampaignKpis(workspaces.get(Integer.parseInt(workspaceAndCampaign[0])).id(), workspaceAndCampaign[1], campaign, ranks));
        });
        return campaigns;
    }

    /** The lifetime KPI tables' count columns of the event types counted in them. */
    private static final Map<String, String> LIFETIME_COLUMNS = Map.of("email.send", "sent", "email.deliver", "delivered", "email.bounce", "bounced",
            "email.complaint", "complaints", "email.unsubscribe", "unsubscribes", "email.reply", "replies");

    static Double rate(Map<String, Long> counts, Kpi kpi) {
        long denominator = counts.get(kpi.denominator());
        return denominator == 0 ? null : (double) counts.get(kpi.numerator()) / denominator;
    }

    public long expectedEvents() {
        return expected.stream().mapToLong(Bucket::count).sum();
    }

    public void write(Path file) throws IOException {
        ObjectNode truth = WireJson.MAPPER.createObjectNode();
        truth.put("seed", seed);
        ArrayNode names = truth.putArray("workspaces");
        workspaces.forEach(w -> names.addObject().put("name", w.name()).put("id", w.id().toString()));
        truth.put("events_sent", eventsSent);
        truth.put("invalid_sent", invalidSent);
        truth.put("duplicates_sent", duplicatesSent);
        truth.put("sent_through_webhooks", sentThroughWebhooks);
        ArrayNode buckets = truth.putArray("expected");
        for (Bucket bucket : expected) {
            buckets.addObject().put("workspace", bucket.workspace().toString()).put("campaign", bucket.campaign())
                    .put("type", bucket.type()).put("hour", bucket.hour().toString()).put("count", bucket.count());
        }
        truth.put("expected_events", expectedEvents());
        ArrayNode days = truth.putArray("expected_days");
        for (DayBucket day : expectedDays) {
            days.addObject().put("workspace", day.workspace().toString()).put("campaign", day.campaign()).put("type", day.type())
                    .put("day", day.day().toString()).put("count", day.count());
        }
        ArrayNode credits = truth.putArray("attribution");
        for (Credit credit : attribution) {
            credits.addObject().put("workspace", credit.workspace().toString()).put("day", credit.day().toString()).put("campaign", credit.campaign())
                    .put("method", credit.method()).put("currency", credit.currency()).put("conversions", credit.conversions())
                    .put("revenue", credit.revenue());
        }
        ArrayNode declared = truth.putArray("costs");
        for (Cost cost : costs) {
            declared.addObject().put("workspace", cost.workspace().toString()).put("campaign", cost.campaign()).put("amount", cost.amount())
                    .put("currency", cost.currency());
        }
        ArrayNode lifetimes = truth.putArray("campaigns");
        for (CampaignKpis campaign : campaigns) {
            ObjectNode node = lifetimes.addObject().put("workspace", campaign.workspace().toString()).put("campaign", campaign.campaign());
            campaign.counts().forEach(node.putObject("counts")::put);
            campaign.ranks().forEach(node.putObject("ranks")::put);
        }
        ObjectNode structure = truth.putObject("structure");
        structure.put("recipient_propensity", "2u of a uniform u per address: multiplies the chance of an open and of a click after it");
        structure.put("season", "the chance of an open by local hour: 09-17 x1.3, 17-22 x1.1, 06-09 x0.9, else x0.55; weekends x0.75");
        structure.put("campaign_style", "one of 3 per campaign: quality 0.45-0.6, 0.75-0.9 or 1.2-1.35; an opener's chances of a complaint "
                + "and an unsubscription x" + Structure.UNHAPPINESS.get(0) + ", x" + Structure.UNHAPPINESS.get(1) + " or x" + Structure.UNHAPPINESS.get(2));
        ArrayNode planted = structure.putArray("campaign_quality");
        for (Quality quality : qualities) {
            planted.addObject().put("workspace", quality.workspace().toString()).put("campaign", quality.campaign()).put("style", quality.style())
                    .put("quality", quality.quality());
        }
        structure.put("preferred_hour", "each recipient domain's preferred local hour of day: the chances of an open and of a click after it x"
                + Structure.PREFERRED_HOUR_LIFT);
        ArrayNode hours = structure.putArray("preferred_hours");
        for (PreferredHour preferred : preferredHours) {
            hours.addObject().put("domain", preferred.domain()).put("hour", preferred.hour());
        }
        Files.writeString(file, truth.toPrettyString());
    }

    public static GroundTruth read(Path file) throws IOException {
        JsonNode truth = WireJson.MAPPER.readTree(Files.readString(file));
        List<Workspace> workspaces = new ArrayList<>();
        truth.path("workspaces").forEach(w -> workspaces.add(new Workspace(w.get("name").asString(), UUID.fromString(w.get("id").asString()))));
        List<Bucket> buckets = new ArrayList<>();
        for (JsonNode bucket : truth.get("expected")) {
            buckets.add(new Bucket(UUID.fromString(bucket.get("workspace").asString()), bucket.get("campaign").asString(),
                    bucket.get("type").asString(), Instant.parse(bucket.get("hour").asString()), bucket.get("count").asLong()));
        }
        List<DayBucket> days = new ArrayList<>();
        for (JsonNode day : truth.path("expected_days")) {
            days.add(new DayBucket(UUID.fromString(day.get("workspace").asString()), day.get("campaign").asString(), day.get("type").asString(),
                    LocalDate.parse(day.get("day").asString()), day.get("count").asLong()));
        }
        List<Credit> credits = new ArrayList<>();
        for (JsonNode credit : truth.path("attribution")) {
            credits.add(new Credit(UUID.fromString(credit.get("workspace").asString()), LocalDate.parse(credit.get("day").asString()),
                    credit.get("campaign").asString(), credit.get("method").asString(), credit.get("currency").asString(),
                    credit.get("conversions").asLong(), credit.get("revenue").decimalValue()));
        }
        List<Cost> costs = new ArrayList<>();
        for (JsonNode cost : truth.path("costs")) {
            costs.add(new Cost(UUID.fromString(cost.get("workspace").asString()), cost.get("campaign").asString(), cost.get("amount").decimalValue(),
                    cost.get("currency").asString()));
        }
        List<CampaignKpis> campaigns = new ArrayList<>();
        for (JsonNode campaign : truth.path("campaigns")) {
            Map<String, Long> counts = new TreeMap<>();
            campaign.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
            Map<String, Double> ranks = new TreeMap<>();
            campaign.path("ranks").properties().forEach(e -> ranks.put(e.getKey(), e.getValue().asDouble()));
            campaigns.add(new CampaignKpis(UUID.fromString(campaign.get("workspace").asString()), campaign.get("campaign").asString(), counts, ranks));
        }
        List<Quality> qualities = new ArrayList<>();
        for (JsonNode quality : truth.path("structure").path("campaign_quality")) {
            qualities.add(new Quality(UUID.fromString(quality.get("workspace").asString()), quality.get("campaign").asString(),
                    quality.get("style").asInt(), quality.get("quality").asDouble()));
        }
        List<PreferredHour> preferredHours = new ArrayList<>();
        for (JsonNode preferred : truth.path("structure").path("preferred_hours")) {
            preferredHours.add(new PreferredHour(preferred.get("domain").asString(), preferred.get("hour").asInt()));
        }
        return new GroundTruth(truth.path("seed").asLong(), workspaces, truth.path("events_sent").asLong(), truth.path("invalid_sent").asLong(),
                truth.path("duplicates_sent").asLong(), truth.path("sent_through_webhooks").asLong(), buckets, days, credits, costs, campaigns,
                qualities, preferredHours);
    }
}
