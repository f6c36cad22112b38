package dev.mailpulse.console.campaigns;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.mailpulse.storage.readmodel.ReadModel;
import dev.mailpulse.storage.readmodel.Share;

/**
 * The campaigns page's table: the workspace's campaigns over a range, filtered by a search and a status, sorted by a
 * column, a page at a time. Counts come from the read model for every campaign; the human open and click rates and
 * the revenue, which only the raw store can count, for the campaigns on the page.
 */
final class CampaignList {

    static final int PAGE_SIZE = 25;

    /** The columns a list can be sorted by, each how it reads a campaign's counts. */
    enum Sort {
        CAMPAIGN(c -> null), SENT(c -> (double) c.count("email.send")), DELIVERED(c -> (double) c.count("email.deliver")),
        DELIVERY_RATE(c -> share(c.count("email.deliver"), c.count("email.send"))), BOUNCE_RATE(c -> share(c.count("email.bounce"), c.count("email.send"))),
        COMPLAINT_RATE(c -> share(c.count("email.complaint"), c.count("email.deliver"))),
        UNSUBSCRIBE_RATE(c -> share(c.count("email.unsubscribe"), c.count("email.deliver")));

        private final Function<ReadModel.CampaignCounts, Double> value;

        Sort(Function<ReadModel.CampaignCounts, Double> value) {
            this.value = value;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Sort of(String name) {
            return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("sort: one of campaign, sent, delivered, delivery_rate, bounce_rate, "
                            + "complaint_rate, unsubscribe_rate, not " + name));
        }
    }

    /** What the page asked for: a search in ids and names, a status (empty for any), a column, a direction, a page (from 0). */
    record Query(String search, String status, Sort sort, boolean descending, int page) {
    }

    /** One campaign's line; rates are null when there is nothing to divide by. */
    record Row(String campaignId, String name, String status, long sent, long delivered, Double deliveryRate, Double bounceRate,
               Double complaintRate, Double unsubscribeRate, Double humanOpenRate, Double humanClickRate, Map<String, BigDecimal> revenue) {
    }

    /** The page's rows, how many campaigns matched, and the pages there are. */
    record Page(List<Row> rows, int matched, int page, int pages) {
    }

    private CampaignList() {
    }

    /**
     * @param engagement the raw store's figures for the campaigns of the page (asked for once the page is known)
     */
    static Page page(List<ReadModel.CampaignCounts> campaigns, Query query,
                     Function<List<String>, Map<String, ReadModel.Engagement>> engagement) {
        List<ReadModel.CampaignCounts> matching = matching(campaigns, query);
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(Math.max(0, query.page()), pages - 1);
        return new Page(rows(matching.subList(page * PAGE_SIZE, Math.min(matching.size(), (page + 1) * PAGE_SIZE)), engagement),
                matching.size(), page, pages);
    }

    /** Every matching campaign's row, in order: the whole list, for an export. */
    static List<Row> all(List<ReadModel.CampaignCounts> campaigns, Query query,
                         Function<List<String>, Map<String, ReadModel.Engagement>> engagement) {
        return rows(matching(campaigns, query), engagement);
    }

    private static List<ReadModel.CampaignCounts> matching(List<ReadModel.CampaignCounts> campaigns, Query query) {
        String search = query.search() == null ? "" : query.search().strip().toLowerCase(Locale.ROOT);
        return campaigns.stream()
                .filter(c -> search.isEmpty() || c.campaignId().toLowerCase(Locale.ROOT).contains(search)
                        || c.name().map(n -> n.toLowerCase(Locale.ROOT).contains(search)).orElse(false))
                .filter(c -> query.status() == null || query.status().isEmpty() || c.status().map(query.status()::equals).orElse(false))
                .sorted(order(query))
                .toList();
    }

    private static List<Row> rows(List<ReadModel.CampaignCounts> shown, Function<List<String>, Map<String, ReadModel.Engagement>> engagement) {
        Map<String, ReadModel.Engagement> raw = shown.isEmpty() ? Map.of() : engagement.apply(shown.stream().map(ReadModel.CampaignCounts::campaignId).toList());
        return shown.stream().map(c -> {
            ReadModel.Engagement e = raw.get(c.campaignId());
            long delivered = c.count("email.deliver");
            return new Row(c.campaignId(), c.name().orElse(null), c.status().orElse(null), c.count("email.send"), delivered,
                    share(delivered, c.count("email.send")), share(c.count("email.bounce"), c.count("email.send")),
                    share(c.count("email.complaint"), delivered), share(c.count("email.unsubscribe"), delivered),
                    share(e.uniqueHumanOpeners(), delivered), share(e.uniqueHumanClickers(), delivered), e.revenueByCurrency());
        }).toList();
    }

    /** By the column asked for, campaigns without a value last either way, then by id. */
    private static Comparator<ReadModel.CampaignCounts> order(Query query) {
        Comparator<ReadModel.CampaignCounts> byId = Comparator.comparing(ReadModel.CampaignCounts::campaignId);
        if (query.sort() == Sort.CAMPAIGN) {
            return query.descending() ? byId.reversed() : byId;
        }
        Comparator<Double> values = query.descending() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing((ReadModel.CampaignCounts c) -> Optional.ofNullable(query.sort().value.apply(c)),
                (a, b) -> a.isPresent() && b.isPresent() ? values.compare(a.get(), b.get()) : Boolean.compare(a.isEmpty(), b.isEmpty()))
                .thenComparing(byId);
    }

    private static Double share(long part, long whole) {
        return Share.of(part, whole).orElse(null);
    }
}
