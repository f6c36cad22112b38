package dev.mailpulse.collector.webhook;

import java.util.Locale;
import java.util.Map;

/** A webhook call as received: its headers (names in lower case) and its raw body, which signatures cover. */
public record WebhookRequest(Map<String, String> headers, byte[] body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
