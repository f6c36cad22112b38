package dev.mailpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.mailpulse.testing.TestRabbit;

class DlqCommandTest {

    @RegisterExtension
    static final TestRabbit RABBIT = TestRabbit.broker();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void listsTheDeadLetterQueuesAndRedrivesEachMessageToItsGroupOrItsWorkspacesPartition() throws Exception {
        String stream = RABBIT.prefix();
        String validated = RABBIT.queue("processor-validate.mailpulse");
        String validatedDlq = RABBIT.queue("processor-validate.mailpulse.dlq");
        List<String> partitions = List.of(RABBIT.queue("source-collector.mailpulse-0"), RABBIT.queue("source-collector.mailpulse-1"));
        String collectedDlq = RABBIT.queue("source-collector.mailpulse.dlq");
        try (Connection connection = RABBIT.connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
            for (String queue : List.of(validated, validatedDlq, partitions.get(0), partitions.get(1), collectedDlq)) {
                channel.queueDeclare(queue, true, false, false, Map.of());
            }
            deadLetter(channel, validatedDlq, "ws-a", "[{\"n\":1}]");
            deadLetter(channel, validatedDlq, "ws-b", "[{\"n\":2}]");
            String workspace = "5d2c5e1e-8d8a-4a57-9a3f-0c1d2e3f4a5b";
            deadLetter(channel, collectedDlq, workspace, "[{\"n\":3}]");

            Map<String, String> env = Map.of("MAILPULSE_RABBIT_URL", TestRabbit.uri(), "MAILPULSE_STREAM", stream);
            assertThat(cli(env).run("dlq", "list")).isZero();
            String listed = out.toString(StandardCharsets.UTF_8);
            assertThat(listed).contains(validatedDlq, collectedDlq, "refused: schema drift").containsPattern(validatedDlq + "\\s+2\\s");
            assertThat(listed).contains(stream + ".failed.mailpulse.dlq").contains("absent");
            assertThat(channel.messageCount(validatedDlq)).as("listing leaves the messages where they are").isEqualTo(2);

            assertThat(cli(env).run("dlq", "redrive", validatedDlq, collectedDlq)).isZero();
            assertThat(channel.messageCount(validatedDlq)).isZero();
            assertThat(channel.messageCount(collectedDlq)).isZero();
            assertThat(channel.messageCount(validated)).isEqualTo(2);
            int partition = Math.abs(workspace.hashCode()) % 2;
            assertThat(channel.messageCount(partitions.get(partition))).isEqualTo(1);
            assertThat(channel.messageCount(partitions.get(1 - partition))).isZero();
            GetResponse redriven = channel.basicGet(validated, true);
            assertThat(new String(redriven.getBody(), StandardCharsets.UTF_8)).isEqualTo("[{\"n\":1}]");
            assertThat(redriven.getProps().getHeaders().get("mailpulse_workspace")).hasToString("ws-a");
            assertThat(redriven.getProps().getHeaders()).doesNotContainKey("x-exception-stacktrace").containsKey("x-mailpulse-redriven");

            assertThat(cli(env).run("dlq", "redrive", validated)).as("only dead-letter queues are redriven").isEqualTo(2);
        }
    }

    private static void deadLetter(Channel channel, String queue, String workspace, String body) throws Exception {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .headers(Map.of("mailpulse_workspace", workspace, "x-exception-message", "refused: schema drift",
                        "x-exception-stacktrace", "at somewhere")).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    private MailPulseCli cli(Map<String, String> env) {
        return new MailPulseCli(env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
