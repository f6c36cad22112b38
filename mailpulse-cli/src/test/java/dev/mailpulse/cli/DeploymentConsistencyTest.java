package dev.mailpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The three ways the pipeline is deployed name the same apps with the same settings: the local launcher
 * ({@code bin/mailpulse up}), docker-compose, and the SCDF stream definitions.
 */
class DeploymentConsistencyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern REQUIRED_SETTING = Pattern.compile("\\$\\{(MAILPULSE_[A-Z_]+)(:[^}]*)?}");

    @Test
    void theLauncherComposeAndScdfNameTheSameStreamApps() throws IOException {
        Set<String> modules = new TreeSet<>();
        try (Stream<Path> apps = Files.list(ROOT.resolve("stream-apps"))) {
            apps.filter(app -> Files.exists(app.resolve("src/main/resources/application.yml")))
                    .forEach(app -> modules.add(app.getFileName().toString()));
        }
        assertThat(launcherApps()).containsExactlyInAnyOrderElementsOf(modules);

        Map<String, Object> services = map(compose().get("services"));
        for (String app : modules) {
            assertThat(services).as("docker-compose services").containsKey(app);
            assertThat(((List<?>) map(services.get(app)).get("volumes")).get(0).toString())
                    .startsWith("./stream-apps/" + app + "/target/" + app + "-");
        }

        String streams = Files.readString(ROOT.resolve("scdf/mailpulse.stream"));
        assertThat(modules).allSatisfy(app -> assertThat(streams).contains(app));
    }

    @Test
    void composeGivesEveryAppEverySettingItNeeds() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        for (String app : launcherApps()) {
            Map<String, String> environment = environment(map(map(services.get(app)).get("environment")));
            String config = Files.readString(ROOT.resolve("stream-apps/" + app + "/src/main/resources/application.yml"));
            Matcher setting = REQUIRED_SETTING.matcher(config);
            while (setting.find()) {
                boolean connection = setting.group(1).matches("MAILPULSE_(DB_URL|DB_USER|DB_PASSWORD|RABBIT_URL|REDIS_URL|RECIPIENT_HASH_SECRET)");
                if (connection) {
                    assertThat(environment).as(app + " in docker-compose").containsKey(setting.group(1));
                }
            }
            assertThat(environment.get("MAILPULSE_DB_URL")).contains("//timescaledb:");
        }
    }

    private static List<String> launcherApps() throws IOException {
        Matcher apps = Pattern.compile("(?m)^APPS=\\(([^)]*)\\)").matcher(Files.readString(ROOT.resolve("bin/mailpulse")));
        assertThat(apps.find()).as("the APPS list of bin/mailpulse").isTrue();
        return new ArrayList<>(Arrays.asList(apps.group(1).strip().split("\\s+")));
    }

    /** The compose file with its anchors resolved (a merge key {@code <<} stays a key holding the anchored map). */
    private static Map<String, Object> compose() throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(ROOT.resolve("docker-compose.yml"))));
    }

    /** A service's environment, with its merge key merged in. */
    private static Map<String, String> environment(Map<String, Object> node) {
        Map<String, String> environment = new HashMap<>();
        node.forEach((key, value) -> {
            if (key.equals("<<")) {
                environment.putAll(environment(map(value)));
            } else {
                environment.put(key, String.valueOf(value));
            }
        });
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }
}
