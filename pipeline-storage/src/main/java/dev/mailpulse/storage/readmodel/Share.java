package dev.mailpulse.storage.readmodel;

import java.util.Optional;

/** A rate: a part of a whole, absent when there is no whole to divide by (nothing sent, nothing delivered). */
public final class Share {

    private Share() {
    }

    public static Optional<Double> of(long part, long whole) {
        return whole == 0 ? Optional.empty() : Optional.of((double) part / whole);
    }
}
