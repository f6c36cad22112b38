package dev.mailpulse.etl.job;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What a run is asked to do, as {@code bin/mailpulse etl} and the SCDF task take it: {@code --date D}, or
 * {@code --from D --to D} (both included), or neither (every day that is due or changed); {@code --workspace NAME}
 * for one workspace. Carried as the job's parameters, with the moment of the launch making each launch a new run.
 */
public record EtlRequest(Optional<LocalDate> from, Optional<LocalDate> to, Optional<String> workspace) {

    static final String FROM = "from";
    static final String TO = "to";
    static final String WORKSPACE = "workspace";
    static final String LAUNCHED_AT = "launched.at";

    private static final Set<String> OPTIONS = Set.of("date", FROM, TO, WORKSPACE);

    /** The longest range one run may be asked for. */
    static final int MOST_DAYS = 400;

    public EtlRequest {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(workspace, "workspace");
        if (from.isPresent() != to.isPresent()) {
            throw new IllegalArgumentException("--from and --to go together (or --date for one day)");
        }
        if (from.isPresent() && to.get().isBefore(from.get())) {
            throw new IllegalArgumentException("--to: " + to.get() + " is before --from " + from.get());
        }
        if (from.isPresent() && from.get().plusDays(MOST_DAYS).isBefore(to.get())) {
            throw new IllegalArgumentException("--from, --to: at most " + MOST_DAYS + " days a run");
        }
    }

    /** Every day due or changed, of every workspace. */
    public static EtlRequest due() {
        return new EtlRequest(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * From a command line: {@code --name value} or {@code --name=value}. Spring's options ({@code --spring.*}) and
     * Data Flow's ({@code --app.*}, which it adds to every launch) are left to them; any other option is refused.
     */
    public static EtlRequest parse(List<String> arguments) {
        Map<String, List<String>> options = new HashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--")) {
                throw new IllegalArgumentException("not an option: " + argument + " (--date, --from, --to, --workspace)");
            }
            int equals = argument.indexOf('=');
            String name = argument.substring(2, equals < 0 ? argument.length() : equals);
            if (name.startsWith("spring.") || name.startsWith("app.")) {
                continue;
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("--" + name + ": not an option (--date, --from, --to, --workspace)");
            }
            String value;
            if (equals >= 0) {
                value = argument.substring(equals + 1);
            } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                value = arguments.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + ": a value is missing");
            }
            options.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        Optional<LocalDate> date = date(options, "date");
        Optional<LocalDate> from = date(options, FROM);
        Optional<LocalDate> to = date(options, TO);
        if (date.isPresent() && (from.isPresent() || to.isPresent())) {
            throw new IllegalArgumentException("--date: either one day (--date) or a range (--from, --to)");
        }
        return new EtlRequest(date.or(() -> from), date.or(() -> to), single(options, WORKSPACE).filter(w -> !w.isBlank()));
    }

    public boolean isDue() {
        return from.isEmpty();
    }

    JobParameters parameters(Instant launchedAt) {
        return new JobParametersBuilder()
                .addString(FROM, from.map(LocalDate::toString).orElse(""))
                .addString(TO, to.map(LocalDate::toString).orElse(""))
                .addString(WORKSPACE, workspace.orElse(""))
                .addString(LAUNCHED_AT, launchedAt.toString())
                .toJobParameters();
    }

    static EtlRequest of(JobParameters parameters) {
        return new EtlRequest(blank(parameters.getString(FROM)).map(LocalDate::parse), blank(parameters.getString(TO)).map(LocalDate::parse),
                blank(parameters.getString(WORKSPACE)));
    }

    @Override
    public String toString() {
        String days = from.map(f -> f.equals(to.get()) ? "day " + f : "days " + f + " to " + to.get()).orElse("every day due or changed");
        return days + workspace.map(w -> " of workspace " + w).orElse(" of every workspace");
    }

    private static Optional<String> blank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static Optional<LocalDate> date(Map<String, List<String>> options, String name) {
        return single(options, name).map(value -> {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + name + ": a date as YYYY-MM-DD, not " + value);
            }
        });
    }

    private static Optional<String> single(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("--" + name + ": once, not " + values.size() + " times");
        }
        return Optional.of(values.get(0).strip());
    }
}
