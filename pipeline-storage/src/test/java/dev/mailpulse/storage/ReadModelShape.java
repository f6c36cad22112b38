package dev.mailpulse.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The columns and types of the read model's relations as the database reports them, engine aside. */
record ReadModelShape(Map<String, List<String>> columns) {

    private static final List<String> COUNT_COLUMNS = List.of(
            "bucket timestamp with time zone", "workspace_id uuid", "campaign_id character varying",
            "event_type character varying", "mailbox_provider character varying", "event_count bigint",
            "automated_count bigint", "unique_recipients bigint", "unique_human_recipients bigint");

    static final ReadModelShape EXPECTED = new ReadModelShape(Map.of(
            "event_counts_1m", COUNT_COLUMNS, "event_counts_1h", COUNT_COLUMNS, "event_counts_1d", COUNT_COLUMNS));

    static ReadModelShape of(Connection connection) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (String relation : EXPECTED.columns().keySet()) {
            List<String> described = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT column_name || ' ' || data_type FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position""")) {
                statement.setString(1, relation);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        described.add(result.getString(1));
                    }
                }
            }
            columns.put(relation, described);
        }
        return new ReadModelShape(Map.copyOf(columns));
    }
}
