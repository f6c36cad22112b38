package dev.mailpulse.alerting;

/** A rule, a silence or an acknowledgement refused, naming the field (a JSON name, {@code channels[0].url}) and why: the API's 400 says both. */
public final class InvalidRule extends IllegalArgumentException {

    private final String field;

    public InvalidRule(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
