package dev.mailpulse.testing;

import org.testcontainers.DockerClientFactory;

/** Whether the test services come from Testcontainers (a Docker engine answers) or from the local machine. */
final class Docker {

    private static final boolean AVAILABLE = decide();

    private Docker() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getenv("MAILPULSE_TEST_USE_DOCKER"))) {
            return false;
        }
        // Without a socket or DOCKER_HOST there is nothing to find; spare Testcontainers' noisy probing.
        if (System.getenv("DOCKER_HOST") == null && !new java.io.File("/var/run/docker.sock").exists()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static String uniqueSuffix() {
        return Long.toString(System.nanoTime() & 0xffffffffL, 36) + Integer.toString((int) (Math.random() * 1296), 36);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
