package dev.mailpulse.enrich.enrichments;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR ranges (IPv4 and IPv6) an address can be checked against. */
final class AddressRanges {

    private record Range(BigInteger network, int prefix, int bits) {
        boolean contains(BigInteger address, int addressBits) {
            return addressBits == bits && address.shiftRight(bits - prefix).equals(network.shiftRight(bits - prefix));
        }
    }

    private final List<Range> ranges = new ArrayList<>();

    AddressRanges(List<String> cidrs) {
        for (String cidr : cidrs) {
            String[] parts = cidr.strip().split("/");
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an address range: " + cidr);
            }
            int bits = address.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("not an address range: " + cidr);
            }
            ranges.add(new Range(new BigInteger(1, address), prefix, bits));
        }
    }

    boolean contains(String ip) {
        if (ip == null || ranges.isEmpty()) {
            return false;
        }
        byte[] address = literal(ip);
        if (address == null) {
            return false;
        }
        BigInteger value = new BigInteger(1, address);
        return ranges.stream().anyMatch(range -> range.contains(value, address.length * 8));
    }

    /** The bytes of an address literal, without any DNS look-up; null if it is not one. */
    private static byte[] literal(String text) {
        String candidate = text.strip();
        if (!candidate.matches("[0-9.]+") && !candidate.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
