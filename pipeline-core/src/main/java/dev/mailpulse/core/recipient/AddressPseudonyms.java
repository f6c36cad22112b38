package dev.mailpulse.core.recipient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailpulse.core.event.Recipient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces recipients' addresses, wherever they occur in a JSON value (keys included) or a text, case-insensitively,
 * by their pseudonyms: {@code hash@domain}, the workspace's keyed hash of the address and its domain, so what was
 * one recipient stays recognisably one.
 */
public final class AddressPseudonyms {

    private static final String UNUSABLE = "(address withheld)";

    private final RecipientPseudonymizer pseudonymizer;

    public AddressPseudonyms(RecipientPseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    /** The replacements of {@code addresses} in a workspace; pseudonyms among them are left as they are. */
    public Replacements of(UUID workspace, Set<String> addresses) {
        Map<Pattern, String> pseudonyms = new LinkedHashMap<>();
        for (String address : addresses) {
            if (RecipientPseudonymizer.isPseudonym(address)) {
                continue;
            }
            String pseudonym;
            try {
                Recipient hashed = pseudonymizer.pseudonymise(workspace, address, false);
                pseudonym = hashed.hash() + "@" + hashed.domain();
            } catch (IllegalArgumentException unusable) {
                pseudonym = UNUSABLE;
            }
            pseudonyms.put(Pattern.compile(Pattern.quote(address), Pattern.CASE_INSENSITIVE), Matcher.quoteReplacement(pseudonym));
        }
        return new Replacements(pseudonyms);
    }

    /** Some addresses and their pseudonyms. */
    public static final class Replacements {

        private final Map<Pattern, String> pseudonyms;

        private Replacements(Map<Pattern, String> pseudonyms) {
            this.pseudonyms = pseudonyms;
        }

        public boolean isEmpty() {
            return pseudonyms.isEmpty();
        }

        /** A copy of {@code value} with the addresses replaced; the value itself when it holds none. */
        public JsonNode in(JsonNode value) {
            if (value == null || isEmpty()) {
                return value;
            }
            if (value.isString()) {
                String text = value.asString();
                String replaced = in(text);
                return replaced.equals(text) ? value : JsonNodeFactory.instance.stringNode(replaced);
            }
            if (value.isObject()) {
                ObjectNode copy = JsonNodeFactory.instance.objectNode();
                value.properties().forEach(property -> copy.set(in(property.getKey()), in(property.getValue())));
                return copy;
            }
            if (value.isArray()) {
                ArrayNode copy = JsonNodeFactory.instance.arrayNode(value.size());
                value.forEach(element -> copy.add(in(element)));
                return copy;
            }
            return value;
        }

        public String in(String text) {
            if (text == null || text.indexOf('@') < 0) {
                return text;
            }
            for (Map.Entry<Pattern, String> pseudonym : pseudonyms.entrySet()) {
                text = pseudonym.getKey().matcher(text).replaceAll(pseudonym.getValue());
            }
            return text;
        }
    }
}
