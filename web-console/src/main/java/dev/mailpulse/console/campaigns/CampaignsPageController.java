package dev.mailpulse.console.campaigns;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.api.Analytics;
import dev.mailpulse.console.api.CsvConverter;
import dev.mailpulse.console.api.Table;
import dev.mailpulse.console.pages.PageRange;
import dev.mailpulse.console.pages.WorkspacePages;
import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.readmodel.ReadModel;

/** The campaigns of a workspace over the last days: searched, filtered by status, sorted, a page at a time; as CSV too. */
@ConsolePage
@RequestMapping("/w/{workspace}/campaigns")
class CampaignsPageController {

    /** The ranges offered, in whole days of the workspace's time zone. */
    static final Set<Integer> DAYS = Set.of(1, 7, 30, 90);

    private final WorkspacePages pages;
    private final Analytics analytics;
    private final DSLContext db;
    private final Clock clock = Clock.systemUTC();

    CampaignsPageController(WorkspacePages pages, Analytics analytics, DSLContext db) {
        this.pages = pages;
        this.analytics = analytics;
        this.db = db;
    }

    /** The list's parameters as the page's form sends them. */
    record Filter(String q, String status, String sort, String dir, Integer days, @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
                  Integer page) {

        Filter {
            q = q == null ? "" : q;
            status = status == null ? "" : status;
            String asked = sort;
            sort = java.util.Arrays.stream(CampaignList.Sort.values()).anyMatch(s -> s.wireName().equals(asked)) ? sort : "sent";
            dir = "asc".equals(dir) ? "asc" : "desc";
            page = page == null ? 0 : page;
        }

        CampaignList.Query query() {
            return new CampaignList.Query(q, status, CampaignList.Sort.of(sort), dir.equals("desc"), page);
        }
    }

    @GetMapping
    String list(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Filter filter, Model model) {
        WorkspacePages.Page page = pages.open(user, workspace);
        PageRange range = range(page, filter);
        ReadModel readModel = new ReadModel(db, page.workspace().id());
        model.addAttribute("page", page);
        model.addAttribute("filter", filter);
        model.addAttribute("range", range);
        model.addAttribute("list", CampaignList.page(readModel.countsByCampaign(range.from(), range.to()), filter.query(),
                ids -> readModel.engagement(ids, range.from(), range.to())));
        model.addAttribute("freshness", analytics.freshness(page.workspace().id()));
        return "campaigns/list";
    }

    @GetMapping("/export")
    ResponseEntity<Table<CampaignList.Row>> export(@AuthenticationPrincipal ConsoleUser user, @PathVariable String workspace, Filter filter) {
        WorkspacePages.Page page = pages.open(user, workspace);
        PageRange range = range(page, filter);
        ReadModel readModel = new ReadModel(db, page.workspace().id());
        List<CampaignList.Row> rows = CampaignList.all(readModel.countsByCampaign(range.from(), range.to()), filter.query(),
                ids -> readModel.engagement(ids, range.from(), range.to()));
        return ResponseEntity.ok().contentType(CsvConverter.TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaigns-" + page.workspace().name() + "-" + range.until()
                        + "-" + range.days() + "d.csv\"")
                .body(new Table<>(rows, analytics.freshness(page.workspace().id())));
    }

    private PageRange range(WorkspacePages.Page page, Filter filter) {
        return PageRange.of(page.zone(), filter.days(), DAYS, 30, Optional.ofNullable(filter.until()), clock.instant(), ChronoUnit.MINUTES);
    }
}
