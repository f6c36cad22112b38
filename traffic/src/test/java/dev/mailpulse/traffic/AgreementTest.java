package dev.mailpulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AgreementTest {

    @Test
    void theSamePartitionUnderOtherNamesAgreesFully() {
        assertThat(Agreement.adjustedRandIndex(Map.of("a", 0, "b", 0, "c", 1, "d", 2), Map.of("a", 7, "b", 7, "c", 3, "d", 5))).isEqualTo(1.0);
    }

    /** Planted {a,b,c}{d,e,f}, found {a,b}{c,d,e}{f}: 2 pairs together in both, 6 x 4 / 15 expected by chance, at most (6 + 4) / 2. */
    @Test
    void aPartialAgreementIsAdjustedForChance() {
        Map<String, Integer> planted = Map.of("a", 0, "b", 0, "c", 0, "d", 1, "e", 1, "f", 1);
        Map<String, Integer> found = Map.of("a", 0, "b", 0, "c", 1, "d", 1, "e", 1, "f", 2);
        assertThat(Agreement.adjustedRandIndex(planted, found)).isCloseTo((2 - 1.6) / (5 - 1.6), within(1e-12));
    }

    @Test
    void aRandomGroupingAgreesAboutAsMuchAsChance() {
        Random random = new Random(5);
        Map<Integer, Integer> planted = new HashMap<>();
        Map<Integer, Integer> found = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            planted.put(i, random.nextInt(3));
            found.put(i, random.nextInt(4));
        }
        assertThat(Agreement.adjustedRandIndex(planted, found)).isCloseTo(0, within(0.01));
    }
}
