package dev.mailpulse.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sending business in miniature, seeded so that a run can be repeated: several workspaces send campaigns; each
 * message is sent, then delivered after a delay or bounced (by kind and mailbox provider), then opened (a share of
 * opens by Apple's privacy proxy), clicked (a share by security scanners), replied to, complained about,
 * unsubscribed from or converted on, with the chances the {@link Structure} plants for the models. Campaign, user and
 * infrastructure events come alongside; some events are sent twice, some arrive late or out of order, and some are
 * invalid. It keeps the ground truth: what the read model must count once everything is stored.
 */
public final class Simulation {

    /** One event to send, for the workspace at {@code workspace}, and whether the pipeline must store it. */
    public record Outgoing(int workspace, ObjectNode event) {
    }

    /** Expected counts per workspace, campaign, event type and hour of the event's time. */
    public record TruthKey(int workspace, String campaign, String type, Instant hour) implements Comparable<TruthKey> {
        @Override
        public int compareTo(TruthKey other) {
            return toString().compareTo(other.toString());
        }
    }

    /** Expected counts per workspace, campaign, event type and day of the workspace's time zone. */
    public record DayKey(int workspace, String campaign, String type, LocalDate day) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey other) {
            return toString().compareTo(other.toString());
        }
    }

    private record Due(Instant at, long sequence, Runnable emit) {
    }

    /**
     * A scenario for alerts: from {@code from} to {@code until}, a share of the messages delivered at one mailbox
     * provider (by its enrichment's name: gmail, microsoft, yahoo, apple) are complained about a second or two later.
     */
    public record ComplaintBurst(String provider, Instant from, Instant until, double share) {

        public ComplaintBurst {
            if (!PROVIDERS.containsKey(provider)) {
                throw new IllegalArgumentException("no mailbox provider '" + provider + "' in the simulation (one of "
                        + String.join(", ", new TreeMap<>(PROVIDERS).keySet()) + ")");
            }
        }

        boolean hits(String[] domains, Instant at) {
            return DOMAINS[PROVIDERS.get(provider)] == domains && !at.isBefore(from) && at.isBefore(until);
        }
    }

    private static final String[][] DOMAINS = {
            {"gmail.com", "googlemail.com"}, {"outlook.com", "hotmail.com", "live.com"}, {"yahoo.com", "aol.com"},
            {"icloud.com", "me.com"}, {"acme-corp.example", "globex.example"}};
    /** The mailbox providers of the domains above, as the enrichment names them. */
    private static final Map<String, Integer> PROVIDERS = Map.of("gmail", 0, "microsoft", 1, "yahoo", 2, "apple", 3);
    private static final String[] HUMAN_AGENTS = {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"};
    /** Each workspace's currency, by its index modulo their number; a conversion in twenty is in another. */
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    /** How many recipients a workspace's list has. */
    private static final int RECIPIENTS = 20_000;

    private final Random random;
    /**
     * Mixed into every event and message id, from the campaigns' prefix (which names the run): a run with the seed of
     * an earlier one sends the same traffic, not the same events, which the validator would drop as duplicates.
     */
    private final long idSalt;
    private final String campaignPrefix;
    private final int workspaces;
    private final List<ZoneId> zones;
    private final List<List<String>> campaigns = new ArrayList<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at().equals(b.at()) ? Long.compare(a.sequence(), b.sequence()) : a.at().compareTo(b.at()));
    private final List<Outgoing> ready = new ArrayList<>();
    private final Map<TruthKey, Long> truth = new TreeMap<>();
    private final Map<DayKey, Long> dayTruth = new TreeMap<>();
    private final Business business = new Business();
    private Structure structure;
    private final Set<String> created = new HashSet<>();
    /** Each slot's campaign now, while campaigns rotate. */
    private final Map<String, String> running = new HashMap<>();
    private Optional<Duration> campaignLife = Optional.empty();
    private Optional<ComplaintBurst> burst = Optional.empty();
    private long sequence;
    private long invalid;
    private long duplicates;

    /** How much earlier than the rest a late event can be. */
    public static final Duration LATEST = Duration.ofMinutes(30 + 24 * 60);

    public Simulation(long seed, int workspaces, int campaignsEach) {
        this(seed, Collections.nCopies(workspaces, ZoneOffset.UTC), campaignsEach, "campaign");
    }

    /**
     * @param zones          each workspace's time zone, for the truth by local day
     * @param campaignPrefix the campaigns are named {@code PREFIX-W-C} (workspace W's campaign C)
     */
    public Simulation(long seed, List<? extends ZoneId> zones, int campaignsEach, String campaignPrefix) {
        this.random = new Random(seed);
        this.structure = new Structure(seed);
        this.campaignPrefix = campaignPrefix;
        this.idSalt = UUID.nameUUIDFromBytes(campaignPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8)).getMostSignificantBits();
        this.workspaces = zones.size();
        this.zones = List.copyOf(zones);
        for (int w = 0; w < workspaces; w++) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < campaignsEach; c++) {
                names.add(campaignPrefix + "-" + (w + 1) + "-" + (c + 1));
            }
            campaigns.add(names);
        }
    }

    /** About {@code count} events due by {@code now}: new messages and what earlier ones lead to. */
    public List<Outgoing> next(int count, Instant now) {
        while (ready.size() < count) {
            Due next = due.peek();
            if (next != null && !next.at().isAfter(now)) {
                due.poll().emit().run();
            } else {
                startSomething(now);
            }
        }
        List<Outgoing> batch = new ArrayList<>(ready.subList(0, count));
        ready.subList(0, count).clear();
        return batch;
    }

    /**
     * Everything the messages started so far still lead to by {@code until}: the end of a back-fill, whose follow-ups
     * must not wait for the live part. What would come later (a purchase days after a click) never happens.
     */
    public List<Outgoing> drain(Instant until) {
        while (!due.isEmpty() && !due.peek().at().isAfter(until)) {
            due.poll().emit().run();
        }
        due.clear();
        List<Outgoing> rest = new ArrayList<>(ready);
        ready.clear();
        return rest;
    }

    public Map<TruthKey, Long> truth() {
        return truth;
    }

    public Map<DayKey, Long> dayTruth() {
        return dayTruth;
    }

    List<ZoneId> zones() {
        return zones;
    }

    /** What its valid events mean for revenue and the campaigns' KPIs. */
    public Business business() {
        return business;
    }

    /** The structure planted in the engagement. */
    public Structure structure() {
        return structure;
    }

    /** A campaign's planted quality, drawn from its name after the run's prefix (so another run with the seed sends alike). */
    double quality(String campaign) {
        return structure.quality(campaign.substring(campaignPrefix.length()));
    }

    /** A campaign's planted style, drawn likewise. */
    public int style(String campaign) {
        return structure.style(campaign.substring(campaignPrefix.length()));
    }

    /** Every recipient domain the simulation sends to. */
    public static List<String> domains() {
        return Arrays.stream(DOMAINS).flatMap(Arrays::stream).sorted().toList();
    }

    /** The campaigns started so far, as {@code "W campaign"} (W the workspace's index). */
    Set<String> campaignsStarted() {
        return created;
    }

    /** Rotates the campaigns: each slot runs a campaign for {@code life}, then the next (see {@link Structure}). */
    public Simulation rotating(Duration life) {
        if (life.toSeconds() < 60) {
            throw new IllegalArgumentException("a campaign lives at least a minute, not " + life);
        }
        this.campaignLife = Optional.of(life);
        return this;
    }

    /** Plants this structure instead of the seed's own (a run's back-fill and live part share one). */
    public Simulation with(Structure structure) {
        this.structure = structure;
        return this;
    }

    /** Plants a complaint burst in what comes next. */
    public Simulation with(ComplaintBurst burst) {
        this.burst = Optional.of(burst);
        return this;
    }

    public long invalid() {
        return invalid;
    }

    public long duplicates() {
        return duplicates;
    }

    private void startSomething(Instant now) {
        int workspace = random.nextInt(workspaces);
        List<String> slots = campaigns.get(workspace);
        int slot = random.nextInt(slots.size());
        String campaign = campaignLife.isEmpty() ? slots.get(slot)
                : Structure.generation(slots.get(slot), slot, slots.size(), campaignLife.get(), now);
        String previous = running.put(Business.key(workspace, slots.get(slot)), campaign);
        if (previous != null && !previous.equals(campaign)) {
            emit(workspace, event("campaign.complete", previous, now));
            return;
        }
        if (created.add(Business.key(workspace, campaign))) {
            // campaign.create version 2 declares what the campaign costs
            ObjectNode create = event("campaign.create", campaign, now).put("schema_version", 2);
            create.putObject("attributes").put("name", "Campaign " + campaign).putObject("cost")
                    .put("amount", 50 + random.nextInt(2_000)).put("currency", CURRENCIES[workspace % CURRENCIES.length]);
            emit(workspace, create);
            return;
        }
        double roll = random.nextDouble();
        if (roll < 0.01) {
            String action = pick("login", "logout", "action");
            ObjectNode attributes = JsonNodeFactory.instance.objectNode().put("user_id", "u-" + random.nextInt(50));
            if (action.equals("action")) {
                attributes.put("action", "template.update");
            }
            emit(workspace, event("user." + action, null, now).set("attributes", attributes));
        } else if (roll < 0.02) {
            emit(workspace, event("infrastructure.vps_health", null, now).set("attributes", JsonNodeFactory.instance.objectNode()
                    .put("host", "vps-" + random.nextInt(8)).put("cpu_pct", random.nextInt(100)).put("status", "healthy")));
        } else if (roll < 0.025) {
            emit(workspace, event("campaign." + pick("start", "pause", "resume"), campaign, now));
        } else {
            sendMessage(workspace, campaign, now);
        }
    }

    private void sendMessage(int workspace, String campaign, Instant now) {
        // a list of RECIPIENTS addresses, each always at the same domain: the campaigns mail the same people again
        int user = random.nextInt(RECIPIENTS);
        String[] provider = DOMAINS[user % DOMAINS.length];
        String address = "user" + user + "@" + provider[(user / DOMAINS.length) % provider.length];
        String messageId = "<" + new UUID(random.nextLong() ^ idSalt, random.nextLong()) + "@mail.example>";
        emit(workspace, email("email.send", campaign, messageId, address, now));
        Instant delivered = now.plusMillis(200 + random.nextInt(3_000));
        if (random.nextDouble() < 0.03) {
            later(delivered, () -> {
                ObjectNode bounce = email("email.bounce", campaign, messageId, address, delivered);
                String kind = random.nextDouble() < 0.6 ? "hard" : random.nextDouble() < 0.6 ? "soft" : "block";
                bounce.putObject("attributes").put("bounce_kind", kind).put("smtp_code", kind.equals("soft") ? 452 : 550)
                        .put("diagnostic", kind.equals("hard") ? "550 5.1.1 user unknown" : "452 4.2.2 mailbox full");
                emit(workspace, bounce);
            });
            return;
        }
        later(delivered, () -> emit(workspace, email("email.deliver", campaign, messageId, address, delivered)));
        if (burst.isPresent() && burst.get().hits(provider, now) && random.nextDouble() < burst.get().share()) {
            Instant complained = delivered.plusMillis(500 + random.nextInt(1_500));
            later(complained, () -> emit(workspace, email("email.complaint", campaign, messageId, address, complained)));
            return;
        }
        String domain = address.substring(address.indexOf('@') + 1);
        double propensity = structure.propensity(address) * quality(campaign) * structure.timing(domain, now.atZone(zones.get(workspace)).getHour());
        if (random.nextDouble() < Math.min(0.95, 0.45 * propensity * Structure.season(now, zones.get(workspace)))) {
            Instant opened = delivered.plusMillis(500 + random.nextInt(8_000));
            boolean privacyProxy = provider[0].equals("icloud.com") || random.nextDouble() < 0.25;
            later(opened, () -> emit(workspace, email("email.open", campaign, messageId, address, opened)
                    .put("user_agent", privacyProxy ? "Mozilla/5.0" : HUMAN_AGENTS[random.nextInt(HUMAN_AGENTS.length)])
                    .put("ip", privacyProxy ? "17.58." + random.nextInt(255) + "." + random.nextInt(255) : "203.0.113." + random.nextInt(255))));
            if (random.nextDouble() < Math.min(0.9, 0.25 * propensity)) {
                boolean scanner = random.nextDouble() < 0.1;
                // a person clicks more than 10 s after delivery: sooner, the enricher takes it for a scanner
                Instant clicked = opened.plusMillis(12_000 + random.nextInt(5_000));
                later(clicked, () -> emit(workspace, email("email.click", campaign, messageId, address, clicked)
                        .put("link_url", "https://shop.example/p/" + random.nextInt(30) + "?utm_source=newsletter&utm_campaign=" + campaign)
                        .put("user_agent", scanner ? Business.SCANNER_AGENT : HUMAN_AGENTS[random.nextInt(HUMAN_AGENTS.length)])
                        .put("ip", "198.51.100." + random.nextInt(255))));
                if (random.nextDouble() < 0.08) {
                    // the shop names the message that brought the buyer
                    Instant converted = clicked.plusMillis(1_000 + random.nextInt(5_000));
                    later(converted, () -> emit(workspace, conversion(workspace, campaign, address, converted, messageId)));
                } else if (random.nextDouble() < 0.08) {
                    // the shop knows only the buyer: within the attribution window or after it, after a person's click or a scanner's
                    Instant converted = clicked.plus(Duration.ofMinutes(30 + random.nextInt(8 * 24 * 60)));
                    later(converted, () -> emit(workspace, conversion(workspace, null, address, converted, null)));
                }
            }
            double after = random.nextDouble();
            double unhappiness = Structure.UNHAPPINESS.get(style(campaign));
            Instant reacted = opened.plusMillis(1_000 + random.nextInt(4_000));
            if (after < 0.02) {
                later(reacted, () -> emit(workspace, email("email.reply", campaign, messageId, address, reacted)));
            } else if (after < 0.02 + 0.005 * unhappiness) {
                later(reacted, () -> emit(workspace, email("email.complaint", campaign, messageId, address, reacted)));
            } else if (after < 0.02 + 0.025 * unhappiness) {
                later(reacted, () -> {
                    ObjectNode unsubscribe = email("email.unsubscribe", campaign, messageId, address, reacted);
                    unsubscribe.putObject("attributes").put("scope", "all").put("method", "list_unsubscribe_one_click");
                    emit(workspace, unsubscribe);
                });
            }
        }
    }

    /** A conversion, naming the message that led to it if {@code messageId} is given. */
    private ObjectNode conversion(int workspace, String campaign, String address, Instant at, String messageId) {
        ObjectNode conversion = email("email.conversion", campaign, null, address, at);
        String currency = random.nextDouble() < 0.05 ? CURRENCIES[(workspace + 1) % CURRENCIES.length] : CURRENCIES[workspace % CURRENCIES.length];
        ObjectNode attributes = conversion.putObject("attributes").put("amount", Math.round(random.nextDouble() * 20_000) / 100.0)
                .put("currency", currency);
        if (messageId != null) {
            attributes.put("attributed_message_id", messageId);
        }
        return conversion;
    }

    /**
     * Adds an event to what is ready to send, sometimes late (not a click: one earlier than its delivery is a
     * scanner's to the enricher), twice or invalid, and counts it in the truth if valid.
     */
    private void emit(int workspace, ObjectNode event) {
        double roll = random.nextDouble();
        if (roll < 0.005) {
            // Invalid: refused by the validator and kept as a failure, never counted.
            event.put("schema_version", 99);
            invalid++;
            ready.add(new Outgoing(workspace, event));
            return;
        }
        if (roll < 0.015 && !event.get("type").asString().equals("email.click")) {
            // Late: its time is hours ago (still inside the accepted age).
            Instant late = Instant.parse(event.get("occurred_at").asString()).minus(Duration.ofMinutes(30 + random.nextInt((int) LATEST.toMinutes() - 30)));
            event.put("occurred_at", late.toString());
        }
        String campaign = event.hasNonNull("campaign_id") ? event.get("campaign_id").asString() : "";
        Instant occurredAt = Instant.parse(event.get("occurred_at").asString());
        truth.merge(new TruthKey(workspace, campaign, event.get("type").asString(), occurredAt.truncatedTo(ChronoUnit.HOURS)), 1L, Long::sum);
        dayTruth.merge(new DayKey(workspace, campaign, event.get("type").asString(), occurredAt.atZone(zones.get(workspace)).toLocalDate()), 1L,
                Long::sum);
        business.record(workspace, event);
        ready.add(new Outgoing(workspace, event));
        if (roll > 0.98) {
            // A duplicate: the same event (same id) sent again, a little later.
            duplicates++;
            ObjectNode copy = event.deepCopy();
            later(Instant.parse(event.get("occurred_at").asString()).plusMillis(random.nextInt(2_000)), () -> ready.add(new Outgoing(workspace, copy)));
        }
    }

    private void later(Instant at, Runnable emit) {
        due.add(new Due(at, sequence++, emit));
    }

    private ObjectNode email(String type, String campaign, String messageId, String address, Instant at) {
        ObjectNode event = event(type, campaign, at);
        if (messageId != null) {
            event.put("message_id", messageId);
        }
        event.put("recipient", address);
        return event;
    }

    private ObjectNode event(String type, String campaign, Instant at) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", new UUID(random.nextLong() ^ idSalt, random.nextLong()).toString());
        event.put("type", type);
        event.put("schema_version", 1);
        event.put("occurred_at", at.truncatedTo(ChronoUnit.MILLIS).toString());
        if (campaign != null) {
            event.put("campaign_id", campaign);
        }
        return event;
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
