package dev.mailpulse.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Positional arguments and {@code --name value} / {@code --flag} options of one command. */
final class Options {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> values = new HashMap<>();

    /**
     * @param valued options that take a value
     * @param flags  options that take none
     * @throws UsageException for an option the command does not know or a value that is missing
     */
    static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                options.positional.add(arg);
            } else if (flags.contains(arg)) {
                options.values.computeIfAbsent(arg, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                options.values.computeIfAbsent(arg, k -> new ArrayList<>()).add(args.get(++i));
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return options;
    }

    String positional(int index, String what) {
        if (index >= positional.size()) {
            throw new UsageException("missing " + what);
        }
        return positional.get(index);
    }

    List<String> positionals() {
        return List.copyOf(positional);
    }

    void expectPositionals(int count) {
        if (positional.size() > count) {
            throw new UsageException("unexpected argument " + positional.get(count));
        }
    }

    /** The option's (last) value, or {@code fallback}. */
    String value(String option, String fallback) {
        List<String> given = values.get(option);
        return given == null ? fallback : given.get(given.size() - 1);
    }

    /** Every value of an option given several times. */
    List<String> all(String option) {
        return values.getOrDefault(option, List.of());
    }

    String required(String option) {
        String value = value(option, null);
        if (value == null) {
            throw new UsageException("missing " + option);
        }
        return value;
    }

    /** The option's value as a positive whole number (at most {@link Integer#MAX_VALUE}), or {@code fallback}. */
    int positive(String option, int fallback) {
        String given = value(option, null);
        if (given == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(given);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " takes a positive whole number, was " + given);
    }

    boolean flag(String option) {
        return values.containsKey(option);
    }

    /** Wrong usage: exit status 2 and the usage text. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
