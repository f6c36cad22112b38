// A client of the Analytics API's live stream, in one file (Java 17: java bin/live-stream.java URL KEY SUBSCRIPTION...).
// Prints every message as a line of JSON; reconnects after a drop, resuming the feed after the last event it printed.
//   java bin/live-stream.java ws://127.0.0.1:8080/api/v1/stream "$READ_KEY" '{"subscribe": "feed", "types": ["email.click"]}'
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class LiveStream {

    private static final Pattern EVENT_ID = Pattern.compile("^\\{\"type\":\"event\",\"id\":\"([0-9]+-[0-9]+)\"");
    private static volatile String lastEventId;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java bin/live-stream.java WS_URL READ_KEY SUBSCRIPTION_JSON...");
            System.exit(2);
        }
        while (true) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            try {
                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + args[1])
                        .buildAsync(URI.create(args[0]), new Printer(closed)).join();
                for (int i = 2; i < args.length; i++) {
                    String subscription = args[i];
                    if (lastEventId != null && subscription.contains("\"feed\"") && !subscription.contains("\"after\"")) {
                        subscription = subscription.replaceFirst("\\}\\s*$", ", \"after\": \"" + lastEventId + "\"}");
                    }
                    socket.sendText(subscription, true).join();
                }
                closed.join();
            } catch (RuntimeException e) {
                System.err.println("stream: " + e.getMessage());
            }
            Thread.sleep(2_000); // then reconnect and resume
        }
    }

    private record Printer(CompletableFuture<Void> closed) implements WebSocket.Listener {
        private static final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Matcher event = EVENT_ID.matcher(message);
                if (event.find()) {
                    lastEventId = event.group(1);
                }
                System.out.println(message);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            System.err.println("stream closed: " + status + " " + reason);
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            System.err.println("stream: " + error.getMessage());
            closed.complete(null);
        }
    }
}
