package dev.mailpulse.console.api;

/** A request that the state of what it names forbids (a decision already taken): the API answers 409. */
public final class Conflict extends RuntimeException {

    public Conflict(String why) {
        super(why);
    }
}
