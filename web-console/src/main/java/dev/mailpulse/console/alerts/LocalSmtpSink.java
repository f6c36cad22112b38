package dev.mailpulse.console.alerts;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.mailpulse.alerting.AlertNotifier;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * A local SMTP server for a machine with no SMTP server configured ({@code bin/mailpulse up} without
 * {@code MAILPULSE_SMTP_HOST}): it catches the alerts' e-mails so that a new user sees them on the alerts page, each
 * workspace its own (by the header the notifier writes). It keeps the latest {@value #KEPT}, in memory.
 */
public final class LocalSmtpSink implements AutoCloseable {

    static final int KEPT = 1_000;

    /** An e-mail caught: when, from whom, to whom, its subject and text. */
    public record CaughtMail(Instant sent, String from, String to, String subject, String text) {
    }

    private final GreenMail smtp;

    public LocalSmtpSink(String address, int port) {
        this.smtp = new GreenMail(new ServerSetup(port, address, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    public int port() {
        return smtp.getSmtp().getPort();
    }

    /** The workspace's e-mails caught, newest first, at most {@code most}. */
    public List<CaughtMail> caught(UUID workspace, int most) {
        MimeMessage[] all = smtp.getReceivedMessages();
        if (all.length > KEPT) {
            try {
                smtp.purgeEmailFromAllMailboxes(); // a sink, not an archive: starts again rather than grow without end
            } catch (FolderException e) {
                throw new IllegalStateException("the local SMTP sink could not be emptied", e);
            }
        }
        List<CaughtMail> caught = new ArrayList<>();
        for (MimeMessage mail : all) {
            read(mail, workspace).ifPresent(caught::add);
        }
        caught.sort(Comparator.comparing(CaughtMail::sent).reversed());
        return caught.subList(0, Math.min(most, caught.size()));
    }

    private static Optional<CaughtMail> read(MimeMessage mail, UUID workspace) {
        try {
            String[] whose = mail.getHeader(AlertNotifier.WORKSPACE_HEADER);
            if (whose == null || !Arrays.asList(whose).contains(workspace.toString())) {
                return Optional.empty();
            }
            Instant sent = Optional.ofNullable(mail.getSentDate()).map(java.util.Date::toInstant).orElse(Instant.EPOCH);
            return Optional.of(new CaughtMail(sent, addresses(mail.getFrom()), addresses(mail.getAllRecipients()), mail.getSubject(),
                    mail.getContent() instanceof String text ? text : "(not plain text)"));
        } catch (MessagingException | IOException unreadable) {
            return Optional.empty();
        }
    }

    private static String addresses(jakarta.mail.Address[] addresses) {
        return addresses == null ? "" : String.join(", ", Arrays.stream(addresses).map(Object::toString).toList());
    }

    @Override
    public void close() {
        smtp.stop();
    }
}
