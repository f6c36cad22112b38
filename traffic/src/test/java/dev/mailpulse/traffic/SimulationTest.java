package dev.mailpulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mailpulse.core.schema.EventSchemas;
import tools.jackson.databind.node.ObjectNode;

class SimulationTest {

    private static final EventSchemas SCHEMAS = new EventSchemas();

    @Test
    void theGroundTruthCountsEachValidEventOnceAndNothingElse() {
        Simulation simulation = new Simulation(7, 2, 3);
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        Set<String> seen = new HashSet<>();
        long validDistinct = 0;
        long invalid = 0;
        Map<String, Integer> types = new HashMap<>();
        for (int second = 0; second < 60; second++) {
            List<Simulation.Outgoing> batch = simulation.next(200, now.plusSeconds(second));
            assertThat(batch).hasSize(200);
            for (Simulation.Outgoing outgoing : batch) {
                ObjectNode event = outgoing.event().deepCopy();
                // What the collector adds before validation: workspace, receipt, source, a pseudonymous recipient.
                event.put("workspace_id", UUID.randomUUID().toString());
                event.put("received_at", now.toString());
                event.put("source", "api");
                if (event.has("recipient")) {
                    String address = event.get("recipient").asString();
                    event.putObject("recipient").put("hash", "0123456789abcdef0123456789abcdef").put("domain", address.substring(address.indexOf('@') + 1));
                }
                boolean valid = SCHEMAS.validate(event).isEmpty();
                if (!valid) {
                    invalid++;
                } else if (seen.add(event.get("event_id").asString())) {
                    validDistinct++;
                    types.merge(event.get("type").asString(), 1, Integer::sum);
                }
            }
        }
        long truth = simulation.truth().values().stream().mapToLong(Long::longValue).sum();
        assertThat(invalid).isEqualTo(simulation.invalid()).isPositive();
        assertThat(simulation.duplicates()).isPositive();
        // Events still scheduled (deliveries, opens...) are in the truth once they are sent; all sent ones are counted.
        assertThat(validDistinct).isEqualTo(truth);
        assertThat(types.keySet()).contains("email.send", "email.deliver", "email.open", "email.click", "email.bounce");
    }

    /**
     * The planted structure shows in the traffic: the most engaged fifth of recipients click (as people) at least 1.5
     * times as often as the average, the better half of campaigns more than the worse, the first style's openers
     * unsubscribing more than the last's, working hours more than nights,
     * a domain's preferred hour at least 1.5 times as much as the other hours of the same season; rotating campaigns complete and give way to the next.
     */
    @Test
    void theEngagementHasTheStructureItsTruthDescribes() {
        Simulation simulation = new Simulation(13, List.of(ZoneOffset.UTC), 4, "c").rotating(Duration.ofHours(6));
        Structure structure = simulation.structure();
        Map<String, String> recipientOfMessage = new HashMap<>();
        Map<String, String> campaignOfMessage = new HashMap<>();
        Map<String, Instant> sentAt = new HashMap<>();
        Set<String> clicked = new HashSet<>();
        Set<String> opened = new HashSet<>();
        Set<String> unsubscribed = new HashSet<>();
        Set<String> completed = new HashSet<>();
        Instant start = Instant.parse("2026-11-23T00:00:00Z"); // a Monday
        for (int minute = 0; minute < 7 * 24 * 60; minute += 2) {
            for (Simulation.Outgoing outgoing : simulation.next(60, start.plusSeconds(60L * minute))) {
                ObjectNode event = outgoing.event();
                String type = event.get("type").asString();
                if (type.equals("email.send")) {
                    recipientOfMessage.put(event.get("message_id").asString(), event.get("recipient").asString());
                    campaignOfMessage.put(event.get("message_id").asString(), event.get("campaign_id").asString());
                    sentAt.put(event.get("message_id").asString(), Instant.parse(event.get("occurred_at").asString()));
                } else if (type.equals("email.click") && !event.get("user_agent").asString().equals(Business.SCANNER_AGENT)) {
                    clicked.add(event.get("message_id").asString());
                } else if (type.equals("email.open")) {
                    opened.add(event.get("message_id").asString());
                } else if (type.equals("email.unsubscribe")) {
                    unsubscribed.add(event.get("message_id").asString());
                } else if (type.equals("campaign.complete")) {
                    completed.add(event.get("campaign_id").asString());
                }
            }
        }
        double average = rate(recipientOfMessage.keySet(), clicked);
        assertThat(rate(messagesWhere(recipientOfMessage, address -> structure.propensity(address) >= 1.6), clicked))
                .as("the top fifth's click rate against the average's %.4f", average).isGreaterThan(1.5 * average);
        assertThat(rate(messagesWhere(campaignOfMessage, campaign -> simulation.quality(campaign) >= 1.0), clicked))
                .isGreaterThan(1.3 * rate(messagesWhere(campaignOfMessage, campaign -> simulation.quality(campaign) < 1.0), clicked));
        // the styles: the first's openers unsubscribe 16 times as often as the last's
        Map<String, String> styleOfOpened = new HashMap<>();
        opened.forEach(message -> styleOfOpened.put(message, Integer.toString(simulation.style(campaignOfMessage.get(message)))));
        assertThat(rate(messagesWhere(styleOfOpened, "0"::equals), unsubscribed))
                .isGreaterThan(4 * rate(messagesWhere(styleOfOpened, "2"::equals), unsubscribed));
        Map<String, String> hourOfMessage = new HashMap<>();
        sentAt.forEach((message, at) -> hourOfMessage.put(message, Integer.toString(at.atZone(ZoneOffset.UTC).getHour())));
        assertThat(rate(messagesWhere(hourOfMessage, hour -> Integer.parseInt(hour) >= 9 && Integer.parseInt(hour) < 17), clicked))
                .isGreaterThan(1.5 * rate(messagesWhere(hourOfMessage, hour -> Integer.parseInt(hour) < 6), clicked));
        // a send in its domain's preferred hour against one in another hour of the same season
        Map<String, String> timingOfMessage = new HashMap<>();
        sentAt.forEach((message, at) -> {
            String domain = recipientOfMessage.get(message).substring(recipientOfMessage.get(message).indexOf('@') + 1);
            timingOfMessage.put(message, (structure.preferredHour(domain) == at.atZone(ZoneOffset.UTC).getHour() ? "preferred " : "other ")
                    + Structure.season(at, ZoneOffset.UTC));
        });
        Set<String> preferred = messagesWhere(timingOfMessage, timing -> timing.startsWith("preferred "));
        assertThat(preferred.size()).isGreaterThan(2_000);
        for (String band : new HashSet<>(timingOfMessage.values())) {
            Set<String> inPreferredHour = messagesWhere(timingOfMessage, band::equals);
            if (band.startsWith("preferred ") && inPreferredHour.size() >= 500) {
                assertThat(rate(inPreferredHour, clicked)).as(band).isGreaterThan(
                        1.5 * rate(messagesWhere(timingOfMessage, band.replace("preferred ", "other ")::equals), clicked));
            }
        }
        Set<String> campaigns = new HashSet<>(campaignOfMessage.values());
        assertThat(campaigns).hasSizeGreaterThan(4 * 7 * 4 - 4).allMatch(campaign -> campaign.matches("c-1-[1-4]-\\d{8}"));
        assertThat(completed).hasSizeGreaterThan(campaigns.size() - 5).isSubsetOf(campaigns);
    }

    private static Set<String> messagesWhere(Map<String, String> valueOfMessage, java.util.function.Predicate<String> test) {
        Set<String> messages = new HashSet<>();
        valueOfMessage.forEach((message, value) -> {
            if (test.test(value)) {
                messages.add(message);
            }
        });
        return messages;
    }

    private static double rate(Set<String> messages, Set<String> clicked) {
        return (double) messages.stream().filter(clicked::contains).count() / messages.size();
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(new Simulation(3, 2, 2).next(500, now).toString()).isEqualTo(new Simulation(3, 2, 2).next(500, now).toString());
    }

    @Test
    void anotherRunWithTheSameSeedSendsTheSameTrafficAsNewEvents() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        List<ZoneOffset> zones = List.of(ZoneOffset.UTC, ZoneOffset.UTC);
        List<Simulation.Outgoing> first = new Simulation(3, zones, 2, "campaign-run1").next(500, now);
        List<Simulation.Outgoing> second = new Simulation(3, zones, 2, "campaign-run2").next(500, now);
        assertThat(second).extracting(o -> o.event().get("type").asString())
                .containsExactlyElementsOf(first.stream().map(o -> o.event().get("type").asString()).toList());
        Set<String> ids = new HashSet<>();
        first.forEach(o -> ids.add(o.event().get("event_id").asString()));
        assertThat(second).as("no event id of the first run: the validator would drop it as a duplicate")
                .noneMatch(o -> ids.contains(o.event().get("event_id").asString()));
    }

    @Test
    void aComplaintBurstRaisesOneProvidersComplaintRateForItsTimeOnly() {
        Instant start = Instant.parse("2026-11-27T12:00:00Z");
        Simulation simulation = new Simulation(11, 2, 2).with(new Simulation.ComplaintBurst("yahoo", start, start.plusSeconds(60), 0.05));
        Map<String, long[]> during = new HashMap<>(); // deliveries, complaints by the recipient's domain
        Map<String, long[]> after = new HashMap<>();
        for (int second = 0; second < 180; second++) {
            for (Simulation.Outgoing outgoing : simulation.next(300, start.plusSeconds(second))) {
                ObjectNode event = outgoing.event();
                String type = event.get("type").asString();
                if (event.has("recipient") && (type.equals("email.deliver") || type.equals("email.complaint"))) {
                    String address = event.get("recipient").asString();
                    Instant at = Instant.parse(event.get("occurred_at").asString());
                    long[] counts = (at.isBefore(start.plusSeconds(60)) ? during : after)
                            .computeIfAbsent(address.substring(address.indexOf('@') + 1), d -> new long[2]);
                    counts[type.equals("email.deliver") ? 0 : 1]++;
                }
            }
        }
        assertThat(rate(during, "yahoo.com", "aol.com")).as("Yahoo's deliveries in the burst").isBetween(0.035, 0.065);
        assertThat(rate(during, "gmail.com", "googlemail.com")).as("Gmail's, meanwhile").isLessThan(0.01);
        assertThat(rate(after, "yahoo.com", "aol.com")).as("Yahoo's, after it").isLessThan(0.01);
        assertThatThrownBy(() -> new Simulation.ComplaintBurst("hotmail", start, start, 0.05)).hasMessageContaining("gmail, microsoft, yahoo");
    }

    @Test
    void aBackFillPlantsConversionsOfEveryKindOfAttributionAndNothingAfterItsEnd() {
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        Simulation simulation = new Simulation(5, 2, 3);
        for (int minute = 0; minute < 10 * 24 * 60; minute++) {
            simulation.next(4, from.plus(Duration.ofMinutes(minute)));
        }
        Instant end = from.plus(Duration.ofDays(10));
        simulation.next(40, end.minusSeconds(30)); // messages sent half a minute before the end: their deliveries are due by it
        List<Simulation.Outgoing> rest = simulation.drain(end);
        assertThat(rest).as("follow-ups by the end").isNotEmpty()
                .allMatch(o -> !Instant.parse(o.event().get("occurred_at").asString()).isAfter(end));
        Business business = simulation.business();
        Map<String, Long> kinds = new HashMap<>();
        for (Business.Conversion conversion : business.conversions) {
            String method = business.credit(conversion).method();
            // every conversion follows a click of its recipient: a person's, too long before, or else only a scanner's
            boolean humanClickBefore = business.humanClicks.getOrDefault(Business.key(conversion.workspace(), conversion.address()), List.of())
                    .stream().anyMatch(click -> !click.at().isAfter(conversion.at()));
            kinds.merge(!method.equals("unattributed") ? method : humanClickBefore ? "too late" : "after bot clicks only", 1L, Long::sum);
        }
        assertThat(kinds).as("conversions by how they are credited").containsKeys("message", "click", "too late", "after bot clicks only");
        assertThat(business.costs).as("every campaign declares its cost").hasSize(6);
    }

    private static double rate(Map<String, long[]> counts, String... domains) {
        long deliveries = 0;
        long complaints = 0;
        for (String domain : domains) {
            long[] c = counts.getOrDefault(domain, new long[2]);
            deliveries += c[0];
            complaints += c[1];
        }
        assertThat(deliveries).isGreaterThan(500);
        return (double) complaints / deliveries;
    }
}
