package dev.mailpulse.traffic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How well a grouping found by a model agrees with the one the generator planted. */
public final class Agreement {

    private Agreement() {
    }

    /**
     * The adjusted Rand index of two groupings over the items both name: 1 when they are the same partition, about 0
     * when they agree no more than chance would, negative when less.
     */
    public static <T> double adjustedRandIndex(Map<T, Integer> planted, Map<T, Integer> found) {
        Map<List<Integer>, Long> cells = new HashMap<>();
        Map<Integer, Long> rows = new HashMap<>();
        Map<Integer, Long> columns = new HashMap<>();
        long n = 0;
        for (Map.Entry<T, Integer> item : planted.entrySet()) {
            Integer group = found.get(item.getKey());
            if (group != null) {
                cells.merge(List.of(item.getValue(), group), 1L, Long::sum);
                rows.merge(item.getValue(), 1L, Long::sum);
                columns.merge(group, 1L, Long::sum);
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("an agreement needs two items both groupings name, not " + n);
        }
        double index = cells.values().stream().mapToDouble(Agreement::pairs).sum();
        double rowPairs = rows.values().stream().mapToDouble(Agreement::pairs).sum();
        double columnPairs = columns.values().stream().mapToDouble(Agreement::pairs).sum();
        double expected = rowPairs * columnPairs / pairs(n);
        double maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }

    private static double pairs(long count) {
        return count * (count - 1) / 2.0;
    }
}
