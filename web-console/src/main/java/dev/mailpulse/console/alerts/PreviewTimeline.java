package dev.mailpulse.console.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mailpulse.alerting.AlertState;
import dev.mailpulse.alerting.AlertTransition;
import dev.mailpulse.alerting.RulePreview;

/**
 * A rule's preview drawn as a timeline: one row per instance that did anything, its pending and firing spans placed on
 * the previewed range in thousandths of its width (the page's SVG is 1000 wide), so that when and for how long a rule
 * would have fired is seen at a glance before the table's detail.
 */
record PreviewTimeline(Instant from, Instant to, List<Row> rows) {

    /** An instance's spans, by its labels as the page shows them. */
    record Row(String instance, List<Span> spans) {
    }

    /** A span in a state, {@code x} and {@code width} in thousandths of the range. */
    record Span(AlertState state, double x, double width) {
    }

    static PreviewTimeline of(RulePreview.Preview preview) {
        Map<Map<String, String>, List<AlertTransition>> byInstance = new LinkedHashMap<>();
        preview.transitions().forEach(t -> byInstance.computeIfAbsent(t.labels(), l -> new ArrayList<>()).add(t));
        double range = Duration.between(preview.from(), preview.to()).toMillis();
        List<Row> rows = new ArrayList<>();
        byInstance.forEach((labels, transitions) -> {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < transitions.size(); i++) {
                AlertTransition t = transitions.get(i);
                if (t.to() != AlertState.FIRING && t.to() != AlertState.PENDING) {
                    continue;
                }
                Instant end = i + 1 < transitions.size() ? transitions.get(i + 1).at() : preview.to();
                double x = Duration.between(preview.from(), t.at()).toMillis() / range * 1000;
                // a span of one evaluation is drawn at least a pixel wide on a phone
                spans.add(new Span(t.to(), x, Math.max(Duration.between(t.at(), end).toMillis() / range * 1000, 2)));
            }
            rows.add(new Row(labels.isEmpty() ? "the workspace" : labels.toString(), spans));
        });
        return new PreviewTimeline(preview.from(), preview.to(), rows);
    }
}
