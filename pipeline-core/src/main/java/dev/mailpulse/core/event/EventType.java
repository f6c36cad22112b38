package dev.mailpulse.core.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type, named on the wire as {@code family.action} (for example {@code email.open}).
 * Each type has a JSON Schema per version under {@code schemas/{family}/{action}/v{n}.json}.
 */
public enum EventType {
    EMAIL_SEND(EventFamily.EMAIL, "send"),
    EMAIL_DELIVER(EventFamily.EMAIL, "deliver"),
    EMAIL_DEFER(EventFamily.EMAIL, "defer"),
    EMAIL_OPEN(EventFamily.EMAIL, "open"),
    EMAIL_CLICK(EventFamily.EMAIL, "click"),
    EMAIL_REPLY(EventFamily.EMAIL, "reply"),
    EMAIL_BOUNCE(EventFamily.EMAIL, "bounce"),
    EMAIL_COMPLAINT(EventFamily.EMAIL, "complaint"),
    EMAIL_UNSUBSCRIBE(EventFamily.EMAIL, "unsubscribe"),
    EMAIL_CONVERSION(EventFamily.EMAIL, "conversion"),
    EMAIL_REJECT(EventFamily.EMAIL, "reject"),
    EMAIL_RESUBSCRIBE(EventFamily.EMAIL, "resubscribe"),
    CAMPAIGN_CREATE(EventFamily.CAMPAIGN, "create"),
    CAMPAIGN_START(EventFamily.CAMPAIGN, "start"),
    CAMPAIGN_PAUSE(EventFamily.CAMPAIGN, "pause"),
    CAMPAIGN_RESUME(EventFamily.CAMPAIGN, "resume"),
    CAMPAIGN_STOP(EventFamily.CAMPAIGN, "stop"),
    CAMPAIGN_COMPLETE(EventFamily.CAMPAIGN, "complete"),
    USER_LOGIN(EventFamily.USER, "login"),
    USER_LOGOUT(EventFamily.USER, "logout"),
    USER_ACTION(EventFamily.USER, "action"),
    USER_ERROR(EventFamily.USER, "error"),
    INFRASTRUCTURE_SMTP_STATUS(EventFamily.INFRASTRUCTURE, "smtp_status"),
    INFRASTRUCTURE_DNS_CHANGE(EventFamily.INFRASTRUCTURE, "dns_change"),
    INFRASTRUCTURE_VPS_HEALTH(EventFamily.INFRASTRUCTURE, "vps_health");

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final EventFamily family;
    private final String action;
    private final String wireName;

    EventType(EventFamily family, String action) {
        this.family = family;
        this.action = action;
        this.wireName = family.wireName() + "." + action;
    }

    public EventFamily family() {
        return family;
    }

    public String action() {
        return action;
    }

    /** The name used in JSON, in the database and in the read model, e.g. {@code email.bounce}. */
    public String wireName() {
        return wireName;
    }

    /** Classpath location of the JSON Schema of one version of this type. */
    public String schemaResource(int version) {
        return "schemas/" + family.wireName() + "/" + action + "/v" + version + ".json";
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }
}
