package dev.mailpulse.stream;

/** The broker did not confirm every event in time: nothing may be acknowledged, the client must retry. */
public class BrokerUnavailableException extends Exception {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
