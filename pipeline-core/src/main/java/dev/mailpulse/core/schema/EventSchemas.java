package dev.mailpulse.core.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.json.WireJson;
import tools.jackson.databind.JsonNode;

/**
 * The versioned JSON Schemas of every event type, loaded once from {@code classpath:schemas/}.
 *
 * <p>These files are the single definition of an event's shape: the validator checks events against them and the
 * API documentation serves them as they are. Thread-safe and meant to be shared.
 */
public final class EventSchemas {

    public static final String ID_PREFIX = "https://mailpulse.dev/schemas/";
    private static final String CLASSPATH_PREFIX = "classpath:schemas/";
    private static final String ENRICHMENT = "enrichment/v1.json";

    private final Map<EventType, NavigableMap<Integer, Schema>> schemas = new EnumMap<>(EventType.class);
    private final Map<EventType, NavigableMap<Integer, JsonNode>> documents = new EnumMap<>(EventType.class);
    private final Schema enrichment;

    public EventSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_PREFIX, CLASSPATH_PREFIX))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER)
                        .build()));
        for (EventType type : EventType.values()) {
            for (int version = 1; ; version++) {
                Optional<JsonNode> document = readDocument(type.schemaResource(version));
                if (document.isEmpty()) {
                    break;
                }
                Schema schema = registry.getSchema(SchemaLocation.of(ID_PREFIX + type.schemaResource(version).substring("schemas/".length())));
                schema.initializeValidators();
                schemas.computeIfAbsent(type, t -> new TreeMap<>()).put(version, schema);
                documents.computeIfAbsent(type, t -> new TreeMap<>()).put(version, document.get());
            }
            if (!schemas.containsKey(type)) {
                throw new IllegalStateException("no JSON Schema for event type " + type.wireName() + " at " + type.schemaResource(1));
            }
        }
        enrichment = registry.getSchema(SchemaLocation.of(ID_PREFIX + ENRICHMENT));
        enrichment.initializeValidators();
    }

    /**
     * Checks an event's {@code enrichment} object against its contract ({@code schemas/enrichment/v1.json}): what
     * processor-enrich writes, and all that the read model, the ETL and the ML features may read of it.
     */
    public List<SchemaViolation> validateEnrichment(JsonNode enrichmentObject) {
        return enrichment.validate(enrichmentObject).stream()
                .map(error -> new SchemaViolation(SchemaViolation.Kind.INVALID, fieldOf(error), error.getMessage())).toList();
    }

    /** Checks one event, as received, against the schema its {@code type} and {@code schema_version} name. */
    public List<SchemaViolation> validate(JsonNode event) {
        if (!event.isObject()) {
            return List.of(new SchemaViolation(SchemaViolation.Kind.INVALID, "", "an event must be a JSON object"));
        }
        JsonNode typeNode = event.get("type");
        Optional<EventType> type = typeNode != null && typeNode.isString()
                ? EventType.fromWireName(typeNode.asString()) : Optional.empty();
        if (type.isEmpty()) {
            String shown = typeNode == null ? "missing" : typeNode.toString();
            return List.of(new SchemaViolation(SchemaViolation.Kind.UNKNOWN_TYPE, "/type", "unknown event type: " + shown));
        }
        JsonNode versionNode = event.get("schema_version");
        Schema schema = versionNode != null && versionNode.canConvertToExactIntegral() && versionNode.canConvertToInt()
                ? schemas.get(type.get()).get(versionNode.asInt()) : null;
        if (schema == null) {
            String shown = versionNode == null ? "missing" : versionNode.toString();
            return List.of(new SchemaViolation(SchemaViolation.Kind.UNKNOWN_SCHEMA_VERSION, "/schema_version",
                    "no schema version " + shown + " for " + type.get().wireName() + "; known versions: " + schemas.get(type.get()).keySet()));
        }
        List<Error> errors = schema.validate(event);
        if (errors.isEmpty()) {
            return List.of();
        }
        List<SchemaViolation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            violations.add(new SchemaViolation(SchemaViolation.Kind.INVALID, fieldOf(error), error.getMessage()));
        }
        return violations;
    }

    /** The schema document as stored, for the API documentation. */
    public Map<Integer, JsonNode> documents(EventType type) {
        return Collections.unmodifiableMap(documents.get(type));
    }

    /** A schema document by its {@code $id} (an event type's, the envelope's, the enrichment's), for the API documentation. */
    public JsonNode document(URI id) {
        String name = id.toString();
        if (!name.startsWith(ID_PREFIX)) {
            throw new IllegalArgumentException("not one of our schemas: " + id);
        }
        return readDocument("schemas/" + name.substring(ID_PREFIX.length())).orElseThrow(() -> new IllegalArgumentException("no schema " + id));
    }

    /** The enrichment object's schema's {@code $id}. */
    public static URI enrichmentId() {
        return URI.create(ID_PREFIX + ENRICHMENT);
    }

    /** A {@code required} error points at the parent object; name the missing property itself. */
    private static String fieldOf(Error error) {
        String location = error.getInstanceLocation().toString();
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            return location + "/" + error.getProperty();
        }
        return location;
    }

    private Optional<JsonNode> readDocument(String resource) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(WireJson.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
