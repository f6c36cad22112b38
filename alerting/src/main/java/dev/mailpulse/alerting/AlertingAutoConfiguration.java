package dev.mailpulse.alerting;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.mailpulse.core.failure.Stage;
import dev.mailpulse.core.json.WireJson;
import dev.mailpulse.stream.UntilAvailable;
import tools.jackson.databind.JsonNode;

/**
 * The alert evaluator for a stream app (one with stream-support, the store and a mail sender): its function
 * {@code evaluateAlerts}, bound to a tap of the enriched events, has the workspaces whose events came judged within
 * half a second; {@link AlertRounds} judges them, and every workspace with rules on a schedule, and sends the
 * notifications owed.
 */
@AutoConfiguration(after = {JooqAutoConfiguration.class, MailSenderAutoConfiguration.class})
@ConditionalOnClass(UntilAvailable.class)
@ConditionalOnBean({DSLContext.class, JavaMailSender.class})
@EnableConfigurationProperties(AlertingProperties.class)
@EnableScheduling
public class AlertingAutoConfiguration {

    @Bean
    AlertRounds alertRounds(DSLContext db, JavaMailSender mail, AlertingProperties properties) {
        return new AlertRounds(db, new AlertEvaluator(new MetricStore(db, properties.batchTablePrefix())), new AlertNotifier(db, mail, properties.notifierSettings(), Clock.systemUTC()),
                Clock.systemUTC());
    }

    /**
     * The events only say which workspaces to judge soon (the read model holds what is judged): the function marks them
     * and returns, and a message that cannot be read costs nothing but a delay, as the next round judges every
     * workspace anyway.
     */
    @Bean
    Consumer<Message<byte[]>> evaluateAlerts(AlertRounds rounds) {
        return message -> {
            Set<UUID> workspaces = new LinkedHashSet<>();
            for (JsonNode event : WireJson.items(message.getPayload(), Stage.ALERT).items()) {
                UUID workspace = WireJson.uuid(event.get("workspace_id"));
                if (workspace != null) {
                    workspaces.add(workspace);
                }
            }
            rounds.mark(workspaces);
        };
    }
}
