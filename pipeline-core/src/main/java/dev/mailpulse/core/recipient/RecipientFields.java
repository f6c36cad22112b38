package dev.mailpulse.core.recipient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailpulse.core.event.EventSource;
import tools.jackson.databind.JsonNode;

/**
 * Where each provider's payload names recipients: the one place that knows it. The addresses found there are the
 * ones withheld from the whole payload (every occurrence, in any field: SMTP diagnostics quote them too), from the
 * provider's event id, and from what is kept of a failure, by the collector as events arrive and by
 * {@code bin/mailpulse workspace withhold-addresses} in what is already stored. A path's {@code *} is every element of
 * an array; a field may hold a display name and several addresses ({@code "Jane <jane@example.com>, b@example.com"}).
 */
public final class RecipientFields {

    private static final Map<EventSource, List<String>> PATHS = Map.of(
            EventSource.SENDGRID, List.of("email"),
            EventSource.MAILGUN, List.of("recipient", "envelope/targets", "message/headers/to"),
            EventSource.POSTMARK, List.of("Recipient", "Email", "OriginalRecipient", "To"),
            EventSource.SES, List.of("mail/destination/*", "mail/commonHeaders/to/*", "mail/commonHeaders/cc/*",
                    "mail/commonHeaders/bcc/*", "bounce/bouncedRecipients/*/emailAddress",
                    "complaint/complainedRecipients/*/emailAddress", "delivery/recipients/*",
                    "deliveryDelay/delayedRecipients/*/emailAddress"));

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private RecipientFields() {
    }

    /** The recipients' addresses a provider's payload names in its recipient fields. */
    public static Set<String> addresses(EventSource source, JsonNode payload) {
        Set<String> addresses = new LinkedHashSet<>();
        if (payload == null) {
            return addresses;
        }
        for (String path : PATHS.getOrDefault(source, List.of())) {
            for (JsonNode value : at(payload, path.split("/"), 0)) {
                if (value.isString()) {
                    addressesIn(value.asString(), addresses);
                }
            }
        }
        return addresses;
    }

    /** The addresses a text holds. */
    public static void addressesIn(String text, Set<String> into) {
        Matcher matcher = ADDRESS.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group());
        }
    }

    private static List<JsonNode> at(JsonNode node, String[] steps, int step) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (step == steps.length) {
            return List.of(node);
        }
        List<JsonNode> found = new ArrayList<>();
        if (steps[step].equals("*")) {
            if (node.isArray()) {
                node.forEach(element -> found.addAll(at(element, steps, step + 1)));
            }
        } else if (node.isObject()) {
            found.addAll(at(node.get(steps[step]), steps, step + 1));
        }
        return found;
    }
}
