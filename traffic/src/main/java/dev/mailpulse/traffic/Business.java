package dev.mailpulse.traffic;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a simulation's valid events mean for the business, as the pipeline will classify them: the campaign of each
 * message sent, each recipient's human clicks (a scanner's user agent makes a bot click), each campaign's clickers,
 * human clickers and human openers (Apple's proxy, a bare "Mozilla/5.0", makes a machine open), its declared cost,
 * and every conversion. From these the ground truth attributes revenue as the daily ETL must.
 */
public final class Business {

    /** The attribution window the generator's workspaces keep (the default); opens never credit. */
    public static final Duration CLICK_WINDOW = Duration.ofHours(120);

    record Touch(Instant at, String campaign) {
    }

    record Conversion(int workspace, String address, Instant at, String messageId, String currency, BigDecimal amount) {
    }

    record Cost(Instant at, BigDecimal amount, String currency) {
    }

    static final String MACHINE_OPENER = "Mozilla/5.0";
    static final String SCANNER_AGENT = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))";

    final Map<String, String> campaignOfMessage = new HashMap<>();
    final Map<String, List<Touch>> humanClicks = new HashMap<>();
    /** Per campaign, each clicker's (human clicker's, human opener's) first time. */
    final Map<String, Map<String, Instant>> clickers = new HashMap<>();
    final Map<String, Map<String, Instant>> humanClickers = new HashMap<>();
    final Map<String, Map<String, Instant>> humanOpeners = new HashMap<>();
    /** Per campaign, the costs its campaign.create events declared. */
    final Map<String, List<Cost>> costs = new HashMap<>();
    final List<Conversion> conversions = new ArrayList<>();

    /** Notes one valid event, with its final time, of workspace {@code workspace}. */
    void record(int workspace, ObjectNode event) {
        String type = event.get("type").asString();
        String campaign = event.hasNonNull("campaign_id") ? event.get("campaign_id").asString() : null;
        String address = event.hasNonNull("recipient") ? event.get("recipient").asString() : null;
        Instant at = Instant.parse(event.get("occurred_at").asString());
        String userAgent = event.path("user_agent").asString("");
        switch (type) {
            case "email.send" -> campaignOfMessage.putIfAbsent(workspace + " " + event.get("message_id").asString(), campaign);
            case "email.click" -> {
                first(clickers, key(workspace, campaign), address, at);
                if (!userAgent.equals(SCANNER_AGENT)) {
                    first(humanClickers, key(workspace, campaign), address, at);
                    humanClicks.computeIfAbsent(key(workspace, address), k -> new ArrayList<>()).add(new Touch(at, campaign));
                }
            }
            case "email.open" -> {
                if (!userAgent.equals(MACHINE_OPENER)) {
                    first(humanOpeners, key(workspace, campaign), address, at);
                }
            }
            case "email.conversion" -> {
                JsonNode attributes = event.get("attributes");
                conversions.add(new Conversion(workspace, address, at,
                        attributes.hasNonNull("attributed_message_id") ? attributes.get("attributed_message_id").asString() : null,
                        attributes.get("currency").asString(), attributes.get("amount").decimalValue()));
            }
            case "campaign.create" -> {
                JsonNode cost = event.path("attributes").path("cost");
                if (cost.isObject()) {
                    costs.computeIfAbsent(key(workspace, campaign), k -> new ArrayList<>())
                            .add(new Cost(at, cost.get("amount").decimalValue(), cost.get("currency").asString()));
                }
            }
            default -> {
            }
        }
    }

    /** The businesses of several simulations of the same workspaces, as one. */
    static Business union(List<Business> parts) {
        Business all = new Business();
        for (Business part : parts) {
            part.campaignOfMessage.forEach(all.campaignOfMessage::putIfAbsent);
            part.humanClicks.forEach((k, v) -> all.humanClicks.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            List.of(List.of(part.clickers, all.clickers), List.of(part.humanClickers, all.humanClickers), List.of(part.humanOpeners, all.humanOpeners))
                    .forEach(pair -> pair.get(0).forEach((campaign, firsts) -> firsts.forEach((address, at) -> first(pair.get(1), campaign, address, at))));
            part.costs.forEach((k, v) -> all.costs.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            all.conversions.addAll(part.conversions);
        }
        return all;
    }

    /** How a conversion is credited: the campaign ("" for none) and the method, as {@code daily_attribution} names them. */
    record Credit(String campaign, String method) {
    }

    /** The named message's campaign, else the last human click's within the window, else none. */
    Credit credit(Conversion conversion) {
        if (conversion.messageId() != null) {
            String campaign = campaignOfMessage.get(conversion.workspace() + " " + conversion.messageId());
            if (campaign != null) {
                return new Credit(campaign, "message");
            }
        }
        Touch last = null;
        for (Touch click : humanClicks.getOrDefault(key(conversion.workspace(), conversion.address()), List.of())) {
            boolean inside = !click.at().isAfter(conversion.at()) && click.at().isAfter(conversion.at().minus(CLICK_WINDOW));
            if (inside && (last == null || click.at().isAfter(last.at()))) {
                last = click;
            }
        }
        return last == null ? new Credit("", "unattributed") : new Credit(last.campaign(), "click");
    }

    /** How many recipients of the campaign did it before {@code cutoff}. */
    static long before(Map<String, Map<String, Instant>> firsts, String campaign, Instant cutoff) {
        return firsts.getOrDefault(campaign, Map.of()).values().stream().filter(at -> at.isBefore(cutoff)).count();
    }

    private static void first(Map<String, Map<String, Instant>> firsts, String campaign, String address, Instant at) {
        firsts.computeIfAbsent(campaign, k -> new HashMap<>()).merge(address, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    static String key(int workspace, String name) {
        return workspace + " " + name;
    }
}
