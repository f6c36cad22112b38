package dev.mailpulse.livecache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * For an app that writes the live cache (it needs scheduling enabled): checks every half minute that Redis still
 * holds the cache (it keeps nothing on disk), and rebuilds it if not, so that a lost cache is whole again even when
 * no event comes to trigger the rebuild.
 */
public final class ReconciliationWatch {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationWatch.class);

    private final CacheReconciler reconciler;

    public ReconciliationWatch(CacheReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${mailpulse.cache.reconcile-check:30s}")
    void check() {
        try {
            reconciler.ensureReconciled();
        } catch (RuntimeException e) {
            log.warn("The live cache could not be reconciled now: {}", e.getMessage());
        }
    }
}
