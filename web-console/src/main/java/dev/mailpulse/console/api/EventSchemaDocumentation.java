package dev.mailpulse.console.api;

import java.net.URI;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import dev.mailpulse.core.event.EventType;
import dev.mailpulse.core.schema.EventSchemas;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event schemas of {@code pipeline-core} in the OpenAPI document, as components named {@code email.open.v1},
 * {@code envelope.v1} and so on: what the raw events and the live stream carry, in the same JSON Schema (2020-12)
 * that the validator applies. References between the schema files become references between the components.
 */
@Component
class EventSchemaDocumentation implements OpenApiCustomizer {

    private final EventSchemas schemas = new EventSchemas();

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        for (EventType type : EventType.values()) {
            for (Map.Entry<Integer, JsonNode> version : schemas.documents(type).entrySet()) {
                add(openApi.getComponents(), version.getValue());
            }
        }
        add(openApi.getComponents(), schemas.document(EventSchemas.enrichmentId()));
    }

    private void add(Components components, JsonNode document) {
        URI id = URI.create(document.get("$id").asString());
        if (components.getSchemas() != null && components.getSchemas().containsKey(componentName(id))) {
            return;
        }
        ObjectNode schema = (ObjectNode) document.deepCopy();
        // a component's $id would make the document's own references resolve against the schema file instead
        schema.remove("$id");
        schema.remove("$schema");
        rewriteReferences(schema, id, components);
        try {
            // swagger's model is Jackson 2's: the schema crosses over as text
            components.addSchemas(componentName(id), Json31.mapper().readValue(schema.toString(), Schema.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the schema " + id + " is not one swagger can read", e);
        }
    }

    /** Each {@code $ref} to another schema file becomes one to its component, which is added too. */
    private void rewriteReferences(JsonNode node, URI base, Components components) {
        if (node instanceof ObjectNode object && object.get("$ref") != null && object.get("$ref").isString()) {
            URI target = base.resolve(object.get("$ref").asString());
            URI file = URI.create(target.getScheme() + ":" + target.getSchemeSpecificPart());
            if (!file.equals(base)) {
                add(components, schemas.document(file));
            }
            object.put("$ref", "#/components/schemas/" + componentName(file) + (target.getFragment() == null ? "" : target.getFragment()));
        }
        for (JsonNode child : node.values()) {
            rewriteReferences(child, base, components);
        }
    }

    /** {@code https://mailpulse.dev/schemas/email/open/v1.json} is {@code email.open.v1}. */
    private static String componentName(URI id) {
        String path = id.toString().substring(EventSchemas.ID_PREFIX.length());
        return path.substring(0, path.length() - ".json".length()).replace('/', '.');
    }
}
