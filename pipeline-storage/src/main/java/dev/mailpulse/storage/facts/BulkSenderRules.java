package dev.mailpulse.storage.facts;

/** Gmail's and Yahoo's bulk-sender requirements that MailPulse measures senders against. */
public final class BulkSenderRules {

    /** Complaints ÷ deliveries kept under 0.1% ... */
    public static final double COMPLAINT_TARGET = 0.001;
    /** ... and never reaching 0.3%. */
    public static final double COMPLAINT_LIMIT = 0.003;

    private BulkSenderRules() {
    }
}
