package dev.mailpulse.console.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.mailpulse.storage.readmodel.ReadModel;

class CampaignListTest {

    private final List<List<String>> askedFor = new ArrayList<>();

    @Test
    void sortsByARateWithCampaignsWithoutOneLastEitherWay() {
        List<ReadModel.CampaignCounts> campaigns = List.of(campaign("a", 100, 90, 1), campaign("b", 100, 50, 0), campaign("c", 0, 0, 0));
        assertThat(ids(query("", "", CampaignList.Sort.DELIVERY_RATE, true, 0), campaigns)).containsExactly("a", "b", "c");
        assertThat(ids(query("", "", CampaignList.Sort.DELIVERY_RATE, false, 0), campaigns)).containsExactly("b", "a", "c");
        assertThat(ids(query("", "", CampaignList.Sort.CAMPAIGN, true, 0), campaigns)).containsExactly("c", "b", "a");
    }

    @Test
    void searchesIdsAndNamesAndFiltersByStatus() {
        List<ReadModel.CampaignCounts> campaigns = List.of(
                new ReadModel.CampaignCounts("spring-1", Optional.of("Spring Sale"), Optional.of("running"), Map.of()),
                new ReadModel.CampaignCounts("autumn", Optional.of("Autumn SPRING preview"), Optional.of("completed"), Map.of()),
                new ReadModel.CampaignCounts("winter", Optional.empty(), Optional.empty(), Map.of()));
        assertThat(ids(query(" spring ", "", CampaignList.Sort.CAMPAIGN, false, 0), campaigns)).containsExactly("autumn", "spring-1");
        assertThat(ids(query("spring", "running", CampaignList.Sort.CAMPAIGN, false, 0), campaigns)).containsExactly("spring-1");
        assertThat(ids(query("", "paused", CampaignList.Sort.CAMPAIGN, false, 0), campaigns)).isEmpty();
    }

    @Test
    void pagesAskTheRawStoreOnlyForTheirOwnCampaignsAndAPageTooFarIsTheLast() {
        List<ReadModel.CampaignCounts> campaigns = new ArrayList<>();
        for (int i = 0; i < CampaignList.PAGE_SIZE + 3; i++) {
            campaigns.add(campaign(String.format("c%02d", i), 10, 10, 0));
        }
        CampaignList.Page page = CampaignList.page(campaigns, query("", "", CampaignList.Sort.CAMPAIGN, false, 7), this::engagement);
        assertThat(page.page()).isEqualTo(1);
        assertThat(page.pages()).isEqualTo(2);
        assertThat(page.matched()).isEqualTo(CampaignList.PAGE_SIZE + 3);
        assertThat(page.rows()).extracting(CampaignList.Row::campaignId).containsExactly("c25", "c26", "c27");
        assertThat(askedFor).containsExactly(List.of("c25", "c26", "c27"));
        assertThat(page.rows().get(0).humanOpenRate()).isEqualTo(0.4);
        assertThat(page.rows().get(0).revenue()).containsEntry("EUR", new BigDecimal("12.50"));
    }

    private List<String> ids(CampaignList.Query query, List<ReadModel.CampaignCounts> campaigns) {
        return CampaignList.all(campaigns, query, this::engagement).stream().map(CampaignList.Row::campaignId).toList();
    }

    private Map<String, ReadModel.Engagement> engagement(List<String> campaigns) {
        askedFor.add(campaigns);
        Map<String, ReadModel.Engagement> engagement = new HashMap<>();
        campaigns.forEach(c -> engagement.put(c, new ReadModel.Engagement(4, 1, Map.of("EUR", new BigDecimal("12.50")))));
        return engagement;
    }

    private static CampaignList.Query query(String search, String status, CampaignList.Sort sort, boolean descending, int page) {
        return new CampaignList.Query(search, status, sort, descending, page);
    }

    private static ReadModel.CampaignCounts campaign(String id, long sent, long delivered, long complaints) {
        return new ReadModel.CampaignCounts(id, Optional.empty(), Optional.empty(),
                Map.of("email.send", sent, "email.deliver", delivered, "email.complaint", complaints));
    }
}
