package dev.mailpulse.storage.workspace;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The credential a provider's webhooks are checked with, validated before it is stored so that a typo is refused
 * at the command line instead of failing every webhook later.
 */
public sealed interface WebhookCredential {

    String provider();

    ObjectNode toJson();

    /** SendGrid's signed Event Webhook: the verification key, a base64 DER (X.509) ECDSA P-256 public key. */
    record SendGrid(String publicKey) implements WebhookCredential {
        public SendGrid {
            try {
                var key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey.strip())));
                if (((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() != 256) {
                    throw new IllegalArgumentException("the SendGrid verification key must be an ECDSA P-256 key");
                }
            } catch (IllegalArgumentException | InvalidKeySpecException | ClassCastException e) {
                throw new IllegalArgumentException("--public-key is not a base64 ECDSA public key as SendGrid shows it", e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("EC is part of every Java runtime", e);
            }
            publicKey = publicKey.strip();
        }

        @Override
        public String provider() {
            return "sendgrid";
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("public_key", publicKey);
        }
    }

    /** Mailgun's HTTP webhook signing key (HMAC-SHA256 over timestamp and token). */
    record Mailgun(String signingKey) implements WebhookCredential {
        public Mailgun {
            if (signingKey == null || signingKey.strip().length() < 16) {
                throw new IllegalArgumentException("--signing-key must be Mailgun's HTTP webhook signing key (16 characters or more)");
            }
            signingKey = signingKey.strip();
        }

        @Override
        public String provider() {
            return "mailgun";
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("signing_key", signingKey);
        }
    }

    /** Postmark's webhook HTTP Basic credentials; the password is stored as a salted PBKDF2 hash. */
    record Postmark(String user, String passwordHash) implements WebhookCredential {

        public static Postmark of(String user, String password) {
            if (user == null || user.isBlank() || user.contains(":")) {
                throw new IllegalArgumentException("--user must be a non-empty name without ':'");
            }
            if (password == null || password.length() < 12) {
                throw new IllegalArgumentException("--password must have at least 12 characters");
            }
            return new Postmark(user, Passwords.hash(password));
        }

        @Override
        public String provider() {
            return "postmark";
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("user", user).put("password_hash", passwordHash);
        }
    }

    /** The SNS topic an SES configuration set publishes to; messages from any other topic are refused. */
    record Ses(String topicArn) implements WebhookCredential {

        private static final Pattern TOPIC_ARN = Pattern.compile("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$");

        public Ses {
            if (topicArn == null || !TOPIC_ARN.matcher(topicArn.strip()).matches()) {
                throw new IllegalArgumentException("--topic-arn must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ses-events");
            }
            topicArn = topicArn.strip();
        }

        @Override
        public String provider() {
            return "ses";
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("topic_arn", topicArn);
        }
    }
}
