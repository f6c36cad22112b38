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
            // pipeline-composed is the same functions in one process, for local runs; SCDF deploys the separate apps
            apps.filter(app -> Files.exists(app.resolve("src/main/resources/application.yml")))
                    .filter(app -> !app.getFileName().toString().equals("pipeline-composed"))
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

    @Test
    void composePublishesOnLoopbackOnlyAndTakesEveryCredentialFromTheEnvFile() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        services.forEach((name, service) -> {
            Object ports = map(service).get("ports");
            if (ports != null) {
                assertThat((List<?>) ports).as(name + "'s published ports").allSatisfy(port -> assertThat(port.toString()).startsWith("127.0.0.1:"));
            }
        });
        String file = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(file).doesNotContain("guest:guest").doesNotContainPattern("PASSWORD:-");
        String example = Files.readString(ROOT.resolve(".env.example"));
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(file);
        while (required.find()) {
            assertThat(example).as(".env.example documents " + required.group(1)).contains(required.group(1) + "=");
        }
        assertThat(Files.readString(ROOT.resolve(".gitignore"))).contains(".env");
    }

    @Test
    void scdfRegistersEveryStreamAppAndBatchJobAsBoot3AndDeploysThemWithTheirSettings() throws IOException {
        String version = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(ROOT.resolve("pom.xml")))
                .results().skip(1).findFirst().orElseThrow().group(1);
        String registrations = Files.readString(ROOT.resolve("scdf/apps.properties"));
        for (String app : launcherApps()) {
            String type = app.startsWith("source-") ? "source" : app.startsWith("processor-") ? "processor" : "sink";
            assertThat(registrations).contains(type + "." + app + "=maven://dev.mailpulse:" + app + ":" + version + "\n")
                    .contains(type + "." + app + ".bootVersion=3\n");
        }
        try (Stream<Path> jobs = Files.list(ROOT.resolve("batch-jobs"))) {
            for (String job : jobs.map(p -> p.getFileName().toString()).toList()) {
                assertThat(registrations).contains("task." + job + "=maven://dev.mailpulse:" + job + ":" + version + "\n")
                        .contains("task." + job + ".bootVersion=3\n");
                assertThat(Files.readString(ROOT.resolve("scdf/mailpulse.tasks"))).contains(job + " = " + job);
            }
        }

        // Each connection setting an app reads from MAILPULSE_* reaches it under SCDF, from the same variable.
        StringBuilder deployment = new StringBuilder();
        try (Stream<Path> streams = Files.list(ROOT.resolve("scdf"))) {
            for (Path properties : streams.filter(f -> f.getFileName().toString().endsWith(".deployment.properties")).sorted().toList()) {
                deployment.append(Files.readString(properties));
            }
        }
        for (String app : launcherApps()) {
            String config = Files.readString(ROOT.resolve("stream-apps/" + app + "/src/main/resources/application.yml"));
            Matcher setting = REQUIRED_SETTING.matcher(config);
            while (setting.find()) {
                if (setting.group(1).matches("MAILPULSE_(DB_URL|DB_USER|DB_PASSWORD|RABBIT_URL|REDIS_URL|RECIPIENT_HASH_SECRET)")) {
                    assertThat(deployment).as(app + " under SCDF").contains("${" + setting.group(1));
                }
            }
        }
        assertThat(deployment).as("processor-validate and processor-enrich partitioned by workspace")
                .contains("app.source-collector.producer.partitionKeyExpression=headers['mailpulse_workspace']")
                .contains("app.processor-validate.producer.partitionKeyExpression=headers['mailpulse_workspace']");
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
